// A stand-in for wine only, never shipped: Windows 10 and later have bcryptprimitives.dll, whose
// ProcessPrng Go (1.24 and later) reads its randomness from, and wine 8.0 has no such DLL, so
// kopia.exe cannot start under it. This one exports ProcessPrng over RtlGenRandom (advapi32's
// SystemFunction036), the system's own generator; tests/windows/wine-run puts it in the prefix.
#include <windows.h>

extern "C" BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

extern "C" __declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size) {
  while (size > 0) {
    const ULONG chunk = size > 0x10000000 ? 0x10000000 : static_cast<ULONG>(size);
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk;
    size -= chunk;
  }
  return TRUE;
}
