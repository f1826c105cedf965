// SPDX-License-Identifier: MIT
/*
 * /init of tern's riscv64 Linux test guest: a static glibc binary, the only
 * program in the initramfs.
 *
 * It mounts /proc, /sys and /dev, then prints
 *
 *   TERN-GUEST-USERSPACE-OK cpus=<online CPUs> kernel=<uname -r>
 *
 * which only a working userspace can produce (a process, syscalls, the FPU
 * glibc relies on, procfs/sysfs). The kernel command line (/proc/cmdline)
 * steers the rest:
 *
 *   tern.grep=<pattern>   before the marker, print every kernel log record
 *                         containing <pattern> as "kmsg: <text>" (a test
 *                         checks a probe line), except the command line's
 *                         own; quote patterns with spaces: tern.grep="SBI HSM"
 *   tern.init=poweroff    power off right after the marker
 *   tern.init=reboot      reboot right after the marker
 *   (otherwise)           a small interactive shell on the console
 *
 * Build: riscv64-linux-gnu-gcc -static -O2 -Wall -Wextra -Werror -o init init.c
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define MAX_ARGS 32

/* PID 1 must never exit (the kernel would panic): when there is nothing
 * left to do, wait forever. */
static void __attribute__((noreturn)) hang(void)
{
	for (;;)
		pause();
}

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	/* EBUSY: already mounted (devtmpfs with DEVTMPFS_MOUNT on a real root). */
	if (mount(type, dir, type, 0, NULL) != 0 && errno != EBUSY)
		printf("init: mount %s on %s: %s\n", type, dir, strerror(errno));
}

/* The value of key=value on the kernel command line, "" if absent. A value
 * may be in double quotes (the kernel's own syntax for spaces). */
static void cmdline_get(const char *cmdline, const char *key, char *val, size_t size)
{
	size_t klen = strlen(key), n = 0;
	const char *p = cmdline;

	val[0] = '\0';
	while (*p) {
		while (*p == ' ' || *p == '\n')
			p++;
		int match = strncmp(p, key, klen) == 0 && p[klen] == '=';
		const char *v = p + klen + 1;
		/* Skip this word, honouring quotes. */
		for (int quoted = 0; *p && (quoted || (*p != ' ' && *p != '\n')); p++)
			if (*p == '"')
				quoted = !quoted;
		if (!match)
			continue;
		char end = *v == '"' ? '"' : ' ';
		v += *v == '"';
		for (n = 0; v[n] && v[n] != end && v[n] != '\n' && n + 1 < size; n++)
			val[n] = v[n];
		val[n] = '\0'; /* the last occurrence wins, as for the kernel */
	}
}

/* Every record in the kernel log buffer that contains pattern. /dev/kmsg
 * returns one record per read, "prio,seq,time,flags;text\n" followed by
 * " KEY=value" continuation lines; O_NONBLOCK makes the end an EAGAIN. */
static void grep_kmsg(const char *pattern)
{
	char rec[8192];
	int matches = 0;
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);

	if (fd < 0) {
		printf("kmsg: cannot open /dev/kmsg: %s\n", strerror(errno));
		return;
	}
	for (;;) {
		ssize_t n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue; /* records overwritten under us: go on with the next */
		if (n <= 0)
			break;
		rec[n] = '\0';
		char *text = strchr(rec, ';');
		if (!text)
			continue;
		text++;
		text[strcspn(text, "\n")] = '\0';
		/* The command line record holds the pattern itself: skip it. */
		if (strstr(text, pattern) && strncmp(text, "Kernel command line:", 20)) {
			printf("kmsg: %s\n", text);
			matches++;
		}
	}
	close(fd);
	if (!matches)
		printf("kmsg: no kernel log line contains '%s'\n", pattern);
}

static long online_cpus(void)
{
	/* glibc reads /sys/devices/system/cpu/online. */
	return sysconf(_SC_NPROCESSORS_ONLN);
}

static void __attribute__((noreturn)) power(int how)
{
	/* Let the console transmit what init wrote (the marker) before the
	 * power goes: the kernel's own lines bypass the tty buffer and have
	 * been seen to overtake it (QEMU -icount). */
	fflush(stdout);
	tcdrain(STDOUT_FILENO);
	sync();
	reboot(how);
	printf("init: reboot(%s): %s\n", how == RB_POWER_OFF ? "RB_POWER_OFF" : "RB_AUTOBOOT",
	       strerror(errno));
	hang();
}

static void cat(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		printf("cat: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	if (n < 0)
		printf("cat: %s: %s\n", path, strerror(errno));
	close(fd);
}

static void ls(const char *path)
{
	struct dirent *d;
	DIR *dir = opendir(path);

	if (!dir) {
		printf("ls: %s: %s\n", path, strerror(errno));
		return;
	}
	while ((d = readdir(dir)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, ".."))
			printf("%s%s\n", d->d_name, d->d_type == DT_DIR ? "/" : "");
	closedir(dir);
}

static void uptime(void)
{
	double up = 0;
	FILE *f = fopen("/proc/uptime", "r");

	if (!f || fscanf(f, "%lf", &up) != 1)
		printf("uptime: cannot read /proc/uptime\n");
	else
		printf("up %.2f s\n", up);
	if (f)
		fclose(f);
}

/* Anything that is not a built-in: fork and execve it, if it exists. */
static void run(char **argv)
{
	static const char *const dirs[] = { "/bin/", "/sbin/", "/" };
	char path[256];
	int status;

	if (strchr(argv[0], '/')) {
		snprintf(path, sizeof(path), "%s", argv[0]);
	} else {
		path[0] = '\0';
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]) && !path[0]; i++) {
			snprintf(path, sizeof(path), "%s%s", dirs[i], argv[0]);
			if (access(path, X_OK) != 0)
				path[0] = '\0';
		}
	}
	if (!path[0] || access(path, X_OK) != 0) {
		printf("%s: not found\n", argv[0]);
		return;
	}
	pid_t pid = fork();
	if (pid < 0) {
		printf("fork: %s\n", strerror(errno));
		return;
	}
	if (pid == 0) {
		char *envp[] = { "PATH=/bin:/sbin:/", "HOME=/", "TERM=vt100", NULL };
		execve(path, argv, envp);
		printf("%s: %s\n", path, strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status))
		printf("%s: exit status %d\n", argv[0], WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		printf("%s: killed by signal %d\n", argv[0], WTERMSIG(status));
}

static void __attribute__((noreturn)) shell(void)
{
	char line[1024];
	char *argv[MAX_ARGS + 1];

	printf("tern guest shell: type 'help'\n");
	for (;;) {
		/* Reap orphans: as PID 1 they all end up ours. */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
		printf("# ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin)) {
			if (ferror(stdin)) {
				printf("\ninit: console read failed: %s\n", strerror(errno));
				hang(); /* rather than spin on a console that is gone */
			}
			clearerr(stdin); /* ^D on the tty: just a new prompt */
			printf("\n");
			continue;
		}
		int argc = 0;
		for (char *tok = strtok(line, " \t\r\n"); tok && argc < MAX_ARGS;
		     tok = strtok(NULL, " \t\r\n"))
			argv[argc++] = tok;
		argv[argc] = NULL;
		if (!argc)
			continue;

		if (!strcmp(argv[0], "echo")) {
			for (int i = 1; i < argc; i++)
				printf("%s%s", argv[i], i + 1 < argc ? " " : "");
			printf("\n");
		} else if (!strcmp(argv[0], "cat")) {
			if (argc < 2)
				printf("usage: cat FILE\n");
			for (int i = 1; i < argc; i++)
				cat(argv[i]);
		} else if (!strcmp(argv[0], "ls")) {
			ls(argc > 1 ? argv[1] : ".");
		} else if (!strcmp(argv[0], "poweroff")) {
			power(RB_POWER_OFF);
		} else if (!strcmp(argv[0], "reboot")) {
			power(RB_AUTOBOOT);
		} else if (!strcmp(argv[0], "cpus")) {
			printf("%ld\n", online_cpus());
		} else if (!strcmp(argv[0], "uptime")) {
			uptime();
		} else if (!strcmp(argv[0], "help")) {
			printf("built-ins: echo ARGS, cat FILE, ls [DIR], cpus, uptime, poweroff, reboot,"
			       " help\nanything else is run as a program (from /bin, /sbin or /)\n");
		} else {
			run(argv);
		}
	}
}

int main(void)
{
	char cmdline[4096] = "";
	char mode[32], pattern[256];
	struct utsname u;
	int fd;

	/* Line-buffered even on a non-tty, so output interleaves with the
	 * kernel's in order; set before anything is printed. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	mount_fs("devtmpfs", "/dev");
	/* The kernel gives init the console as fds 0-2 when the initramfs has
	 * /dev/console; without it they are closed: open it from devtmpfs. */
	if (fcntl(0, F_GETFD) < 0 && (fd = open("/dev/console", O_RDWR)) >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");

	if ((fd = open("/proc/cmdline", O_RDONLY)) >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);
		cmdline[n > 0 ? n : 0] = '\0';
		close(fd);
	}
	cmdline_get(cmdline, "tern.init", mode, sizeof(mode));
	cmdline_get(cmdline, "tern.grep", pattern, sizeof(pattern));

	if (pattern[0])
		grep_kmsg(pattern);
	if (uname(&u) != 0)
		snprintf(u.release, sizeof(u.release), "unknown");
	printf("TERN-GUEST-USERSPACE-OK cpus=%ld kernel=%s\n", online_cpus(), u.release);

	if (!strcmp(mode, "poweroff"))
		power(RB_POWER_OFF);
	if (!strcmp(mode, "reboot"))
		power(RB_AUTOBOOT);
	if (mode[0] && strcmp(mode, "shell"))
		printf("init: unknown tern.init=%s, starting the shell\n", mode);
	shell();
}
