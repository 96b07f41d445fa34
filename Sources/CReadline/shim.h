#ifndef SOCKSHELL_CREADLINE_SHIM_H
#define SOCKSHELL_CREADLINE_SHIM_H

#include <stdio.h>
#include <sys/prctl.h>
#include <netpacket/packet.h>
#include <net/ethernet.h>
#include <readline/readline.h>
#include <readline/history.h>

// glibc declares this only under _GNU_SOURCE; Swift's Glibc module does not see it.
extern const char *strerrorname_np(int errnum);

// readline's settings are C globals, which Swift 6 will not touch from its own code: they are
// set and read here instead.
static inline void sockshell_readline_configure(const char *name, const char *word_breaks,
                                                rl_completion_func_t *complete) {
  rl_readline_name = name;
  rl_catch_signals = 0;  // sockshell handles SIGINT; readline keeps its SIGWINCH handler
  rl_completer_word_break_characters = (char *)word_breaks;
  rl_completer_quote_characters = 0;
  rl_attempted_completion_function = complete;
}

// Inside a completion function: no filename completion after ours; what follows a sole match.
static inline void sockshell_completion_settings(int append_character) {
  rl_attempted_completion_over = 1;
  rl_completion_append_character = append_character;
}

// Ctrl-C at the prompt: put the cursor after the typed text before the line is abandoned.
static inline void sockshell_cursor_to_end(void) {
  rl_point = rl_end;
  rl_redisplay();
}

static inline const char *sockshell_line_buffer(void) { return rl_line_buffer; }

static inline const char *sockshell_last_history_line(void) {
  if (history_length <= 0) return 0;
  HIST_ENTRY *entry = history_get(history_base + history_length - 1);
  return entry ? entry->line : 0;
}

// prctl is variadic, which Swift cannot call: a lesson checker's peer asks for `signal` when the
// process that started it ends (PR_SET_PDEATHSIG).
static inline int sockshell_signal_on_parent_exit(int signal) {
  return prctl(PR_SET_PDEATHSIG, (unsigned long)signal, 0UL, 0UL, 0UL);
}

// `--wire`: glibc declares these only under _GNU_SOURCE (sched.h), which Swift's Glibc module
// does not define.
extern int unshare(int flags);
extern int setns(int fd, int nstype);
static const int sockshell_clone_newuser = 0x10000000;  // CLONE_NEWUSER
static const int sockshell_clone_newnet = 0x40000000;   // CLONE_NEWNET

#endif
