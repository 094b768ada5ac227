/* ESENT's C types and structures (spec 1.1, 1.2) as this architecture lays them out. The
 * agent is built once per architecture, so the natural C declarations give each one its own
 * layout; the asserts pin the sizes ESENT checks (cbSize, cbStruct) and the pointer widths. */
#ifndef JETCONFORM_AGENT_ABI_H
#define JETCONFORM_AGENT_ABI_H

#include <stdint.h>

#if !defined(_WIN32)
#define JET_API
#elif defined(_WIN64)
#define JET_API /* spec 1.1: __stdcall is the only convention on x64 */
#else
#define JET_API __stdcall
#endif

/* JET_API_PTR (JET_INSTANCE, JET_SESID, JET_HANDLE): pointer-sized (spec 1.1). */
typedef uintptr_t jet_api_ptr;
typedef int32_t jet_err;

/* JET_PFNSTATUS (spec 1.2): JET_ERR (JET_API*)(JET_SESID, JET_SNP, JET_SNT, void*). On x86 the
 * sesid is a 32-bit slot, so declaring it uintptr_t keeps the callee's stack cleanup (16
 * bytes) right on both architectures. */
typedef jet_err(JET_API *jet_pfnstatus)(jet_api_ptr sesid, uint32_t snp, uint32_t snt, void *pv);

typedef struct { uint32_t cbStruct, cunitDone, cunitTotal; } jet_snprog;

typedef struct { uint32_t cbSize, ulGenLow, ulGenHigh; char szBaseName[4]; } jet_loginfo_a;
typedef struct { uint32_t cbSize, ulGenLow, ulGenHigh; uint16_t szBaseName[4]; } jet_loginfo_w;

/* JET_RSTMAP_A/W: two string pointers, char* or WCHAR* by the function's charset. */
typedef struct { const void *szDatabaseName, *szNewDatabaseName; } jet_rstmap;

typedef struct { uint32_t paramid; jet_api_ptr lParam; const void *sz; jet_err err; } jet_setsysparam;

typedef struct { uint16_t ib, isec; int32_t lGeneration; } jet_lgpos;
/* JET_LOGTIME: eight chars, so byte-aligned. */
typedef struct { unsigned char b[8]; } jet_logtime;

typedef struct {
    uint32_t cbStruct;
    const jet_rstmap *rgrstmap;
    int32_t crstmap;
    jet_lgpos lgposStop;
    jet_logtime logtimeStop;
    jet_pfnstatus pfnStatus;
} jet_rstinfo;

#define ABI_ASSERT(name, cond) typedef char abi_assert_##name[(cond) ? 1 : -1]
ABI_ASSERT(loginfo_a, sizeof(jet_loginfo_a) == 16); /* spec 1.2: the A cbSize */
ABI_ASSERT(loginfo_w, sizeof(jet_loginfo_w) == 20); /* spec 1.2: the W cbSize */
ABI_ASSERT(snprog, sizeof(jet_snprog) == 12);
ABI_ASSERT(lgpos, sizeof(jet_lgpos) == 8);
ABI_ASSERT(logtime, sizeof(jet_logtime) == 8);
#if UINTPTR_MAX == 0xFFFFFFFFu
ABI_ASSERT(rstmap, sizeof(jet_rstmap) == 8);       /* spec 1.2: 8 bytes on x86 */
ABI_ASSERT(setsysparam, sizeof(jet_setsysparam) == 16);
ABI_ASSERT(rstinfo, sizeof(jet_rstinfo) == 32);
#else
ABI_ASSERT(rstmap, sizeof(jet_rstmap) == 16);      /* spec 1.2: 16 bytes on x64 */
ABI_ASSERT(setsysparam, sizeof(jet_setsysparam) == 32);
ABI_ASSERT(rstinfo, sizeof(jet_rstinfo) == 48);    /* the mock's RSTINFO_SIZE */
#endif

/* Canaries written into output slots before a call: a slot that still holds one afterwards
 * was left unwritten (the ffi runner's HANDLE_SENTINEL and U32_SENTINEL). */
#define HANDLE_SENTINEL ((jet_api_ptr)0x5E471E155E471E15ULL)
#define U32_SENTINEL 0xC0DE5E47u
#define BUFFER_SENTINEL 0xCD
#define PAGE_SIZE_ALIGN 4096u /* spec 6.4: JetReadFile wants the OS page alignment */

#endif
