/*
 * FMI 2's logger callback is C-variadic (printf-style), which managed code cannot receive.
 * This shim is the logger the host hands to FMI 2 FMUs: it formats the message with vsnprintf
 * and passes the finished text to a plain (non-variadic) callback registered by the host.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

typedef void (*cosim_log_sink)(void *environment, const char *instance, int status,
                               const char *category, const char *message);

static cosim_log_sink sink = NULL;

__attribute__((visibility("default"))) void cosim_fmi2_set_log_sink(cosim_log_sink s) { sink = s; }

__attribute__((visibility("default"))) void cosim_fmi2_logger(void *environment, const char *instance,
                                                              int status, const char *category,
                                                              const char *format, ...)
{
    char small[1024];
    char *text = small;
    va_list args;
    if (sink == NULL) return;
    if (format == NULL) format = "(null message)";

    va_start(args, format);
    int needed = vsnprintf(small, sizeof small, format, args);
    va_end(args);
    if (needed < 0) {
        text = (char *)format; /* unformattable: report the raw format string */
    } else if ((size_t)needed >= sizeof small) {
        char *large = (char *)malloc((size_t)needed + 1);
        if (large != NULL) {
            va_start(args, format);
            vsnprintf(large, (size_t)needed + 1, format, args);
            va_end(args);
            text = large;
        }
    }
    sink(environment, instance, status, category, text);
    if (text != small && text != format) free(text);
}
