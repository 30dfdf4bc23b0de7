/* The library a "missing library" quirk binary depends on. It is built only to be linked against
 * and is never shipped, so loading that binary fails exactly as an FMU built against an absent
 * runtime (e.g. libgfortran.so.3) does. */
__attribute__((visibility("default"))) int cosimquirk_missing_marker(void) { return 3; }
