/* The one function of Windows 10's bcryptprimitives.dll that Rust's standard library calls
 * (ProcessPrng, its random numbers), which Debian's wine 8 lacks. The tests put this DLL beside
 * parcours.exe when they run it under wine; on Windows the system's own DLL is used. It draws from
 * RtlGenRandom (advapi32's SystemFunction036), which wine has. */
#include <windows.h>

BOOLEAN NTAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk)) {
            return FALSE;
        }
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
