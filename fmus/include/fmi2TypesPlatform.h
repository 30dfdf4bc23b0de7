/* FMI 2.0 platform types, written for CoSim from the FMI 2.0 specification (section 2.1.2).
 * ABI: identical type sizes and names to the standard's "default" platform. */
#ifndef COSIM_FMI2_TYPES_PLATFORM_H
#define COSIM_FMI2_TYPES_PLATFORM_H

#define fmi2TypesPlatform "default"

typedef void*        fmi2Component;            /* pointer to an FMU instance */
typedef void*        fmi2ComponentEnvironment; /* pointer to the importer's data, passed back in callbacks */
typedef void*        fmi2FMUstate;             /* pointer to a saved FMU state */
typedef unsigned int fmi2ValueReference;
typedef double       fmi2Real;
typedef int          fmi2Integer;
typedef int          fmi2Boolean;              /* int, not bool: 0 = false, 1 = true */
typedef char         fmi2Char;
typedef const fmi2Char* fmi2String;
typedef char         fmi2Byte;

#define fmi2True  1
#define fmi2False 0

#endif
