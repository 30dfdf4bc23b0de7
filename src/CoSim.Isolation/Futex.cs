using System.Runtime.InteropServices;

namespace CoSim.Isolation;

/// <summary>
/// Linux futex on a word in shared memory, through libc <c>syscall</c>. The shared (non-PRIVATE)
/// operations are used because waiter and waker are different processes mapping the same file.
/// </summary>
internal static unsafe class Futex
{
    private const long SysFutex = 202; // x86_64
    private const int FutexWait = 0;
    private const int FutexWake = 1;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [DllImport("libc", EntryPoint = "syscall")]
    private static extern long Syscall(long number, int* address, int operation, int value, Timespec* timeout, int* address2, int value3);

    /// <summary>Sleeps while <c>*address == expected</c>, at most <paramref name="timeoutMicroseconds"/>; returns on a wake, a changed value, a timeout or a signal.</summary>
    public static void Wait(int* address, int expected, long timeoutMicroseconds)
    {
        var timeout = new Timespec { Seconds = timeoutMicroseconds / 1_000_000, Nanoseconds = timeoutMicroseconds % 1_000_000 * 1000 };
        Syscall(SysFutex, address, FutexWait, expected, &timeout, null, 0);
    }

    /// <summary>Wakes every process sleeping on <paramref name="address"/>.</summary>
    public static void Wake(int* address) => Syscall(SysFutex, address, FutexWake, int.MaxValue, null, null, 0);
}
