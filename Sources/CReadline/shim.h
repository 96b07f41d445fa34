#ifndef SOCKSHELL_CREADLINE_SHIM_H
#define SOCKSHELL_CREADLINE_SHIM_H

#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

// glibc declares this only under _GNU_SOURCE; Swift's Glibc module does not see it.
extern const char *strerrorname_np(int errnum);

#endif
