/* The C baseline: the same calls as the sockshell script, one printed line per call. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv) {
  int pairs = argc > 1 ? atoi(argv[1]) : 20000;
  for (int i = 0; i < pairs; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    printf("socket(AF_INET, SOCK_STREAM, IPPROTO_IP) = %d\n", fd);
    int rc = close(fd);
    printf("close(%d) = %d\n", fd, rc);
  }
  return 0;
}
