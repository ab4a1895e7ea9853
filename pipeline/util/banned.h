/*
 * banned.h: libc functions docpipe never uses, after git's banned.h.  They
 * either cannot be told the size of their destination or keep hidden state.
 * Every .c file includes it last, after the system headers, so that their
 * declarations are not affected; a use is then a compile error.
 */
#ifndef DOCPIPE_BANNED_H
#define DOCPIPE_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_use_glib

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef gets
#define gets(x) BANNED(gets)

#endif
