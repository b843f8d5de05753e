// fork() while other threads allocate and free: the child must allocate, free and exit normally.
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int stop;

static void *churn(void *unused) {
  (void)unused;
  void *held[64] = {0};
  for (unsigned i = 0; !stop; i++) {
    free(held[i % 64]);
    held[i % 64] = malloc(16 + i % 600);
  }
  for (int k = 0; k < 64; k++) free(held[k]);
  return NULL;
}

int main(void) {
  pthread_t threads[3];
  for (int t = 0; t < 3; t++) pthread_create(&threads[t], NULL, churn, NULL);
  for (int round = 0; round < 20; round++) {
    pid_t child = fork();
    if (child == 0) {
      char *blocks[1000];
      for (int i = 0; i < 1000; i++) {
        blocks[i] = malloc(1 + i % 700);
        memset(blocks[i], 'x', 1 + i % 700);
      }
      for (int i = 0; i < 1000; i++) free(blocks[i]);
      _exit(0);
    }
    int status = 0;
    waitpid(child, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      printf("fork: child %d failed (status %d)\n", round, status);
      return 1;
    }
  }
  stop = 1;
  for (int t = 0; t < 3; t++) pthread_join(threads[t], NULL);
  puts("fork: ok");
  return 0;
}
