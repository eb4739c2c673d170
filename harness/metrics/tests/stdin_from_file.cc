// stdin_from_file FILE PROGRAM [ARGS...]: runs PROGRAM with FILE as stdin.
// Lets tests feed `promtool check metrics` through scxfarm::run_command,
// which always gives children /dev/null as stdin, without a shell.
#include <fcntl.h>
#include <unistd.h>

#include <cstdio>

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: %s FILE PROGRAM [ARGS...]\n", argv[0]);
    return 2;
  }
  const int fd = ::open(argv[1], O_RDONLY);
  if (fd < 0 || ::dup2(fd, STDIN_FILENO) < 0) {
    std::perror(argv[1]);
    return 2;
  }
  ::close(fd);
  ::execvp(argv[2], argv + 2);
  std::perror(argv[2]);
  return 127;
}
