/* The C baseline of the for-loop row: the same 40,000 calls as loop_create_close.php, printing
   nothing, as `sockshell -q` and php print nothing. */
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
  for (int i = 0; i < 20000; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    close(fd);
  }
  return 0;
}
