/* FMI 3.0 platform types, written for CoSim from the FMI 3.0 specification (section 2.2.2). */
#ifndef COSIM_FMI3_PLATFORM_TYPES_H
#define COSIM_FMI3_PLATFORM_TYPES_H

#include <stdbool.h>
#include <stdint.h>

typedef void*          fmi3Instance;            /* pointer to an FMU instance */
typedef void*          fmi3InstanceEnvironment; /* pointer to the importer's data, passed back in callbacks */
typedef void*          fmi3FMUState;            /* pointer to a saved FMU state */
typedef uint32_t       fmi3ValueReference;

typedef float          fmi3Float32;
typedef double         fmi3Float64;
typedef int8_t         fmi3Int8;
typedef uint8_t        fmi3UInt8;
typedef int16_t        fmi3Int16;
typedef uint16_t       fmi3UInt16;
typedef int32_t        fmi3Int32;
typedef uint32_t       fmi3UInt32;
typedef int64_t        fmi3Int64;
typedef uint64_t       fmi3UInt64;
typedef bool           fmi3Boolean;             /* C99 bool (one byte on x86_64 Linux) */
typedef char           fmi3Char;
typedef const fmi3Char* fmi3String;
typedef uint8_t        fmi3Byte;
typedef const fmi3Byte* fmi3Binary;
typedef bool           fmi3Clock;

#define fmi3True  true
#define fmi3False false
#define fmi3ClockActive   true
#define fmi3ClockInactive false

#endif
