/* The exec protocol: frames of [type:1][length:4, big endian][payload].
 *   host -> guest: 'X' request (JSON: argv, env, workdir, user, tty, rows, cols),
 *                  'I' stdin bytes, 'i' stdin closed, 'R' resize ("rows cols"), 'S' signal ("15")
 *   guest -> host: 'O' stdout bytes, 'E' stderr bytes, 'C' exit code ("0".."255")
 */
#ifndef KRUNBOX_EXEC_H
#define KRUNBOX_EXEC_H

#define EXEC_SOCKET_DIR "/.krunbox/sock"
#define EXEC_SOCKET EXEC_SOCKET_DIR "/exec.sock"
#define EXEC_VSOCK_PORT 1024

/* Opens the listening socket (unix in the sandbox, vsock in a VM); -1 when there is none. */
int exec_listen(int sandbox);

/* Serves one connection in a forked handler process; returns the exit status for _exit. */
int exec_serve(int conn);

#endif
