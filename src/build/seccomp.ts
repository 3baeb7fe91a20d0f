// The system-call filter of the build sandbox, as a classic BPF program for bubblewrap's
// `--seccomp FD`. Like Nix's, it makes setting the setuid/setgid bits fail with EPERM (the store
// has no such files, and a builder must fail the same way it fails under Nix, not succeed and
// lose the bits later) and creating extended attributes or ACLs fail with ENOTSUP (a NAR cannot
// hold them).

/** Offsets in the kernel's `struct seccomp_data`. */
const NR = 0;
const ARCH = 4;
const argOffset = (i: number): number => 16 + 8 * i; // low 32 bits (little-endian)

const RET_ALLOW = 0x7fff0000;
const retErrno = (errno: number): number => 0x00050000 | errno;
const EPERM = 1;
const ENOTSUP = 95;
const S_ISUID_OR_ISGID = 0o6000;

// Opcodes of the instructions used.
const LD_W_ABS = 0x20;
const ALU_AND_K = 0x54;
const JEQ_K = 0x15;
const JSET_K = 0x45;
const RET_K = 0x06;

type Label = "modeArg1" | "modeArg2" | "eperm" | "enotsup" | "allow";

interface ArchRules {
  /** AUDIT_ARCH_* */
  readonly arch: number;
  /** Bits to clear from the syscall number first (x32 calls share x86_64's numbers plus a flag). */
  readonly nrMask?: number;
  /** Syscall number → where to go. */
  readonly calls: readonly (readonly [number, Label])[];
}

/** The architectures a builder here may execute code for, with their syscall numbers. */
const ARCHES: Record<string, readonly ArchRules[]> = {
  x64: [
    {
      arch: 0xc000003e,
      nrMask: ~0x40000000 >>> 0,
      // chmod, fchmod, fchmodat, fchmodat2; setxattr, lsetxattr, fsetxattr
      calls: [[90, "modeArg1"], [91, "modeArg1"], [268, "modeArg2"], [452, "modeArg2"], [188, "enotsup"], [189, "enotsup"], [190, "enotsup"]],
    },
    {
      arch: 0x40000003, // i386
      calls: [[15, "modeArg1"], [94, "modeArg1"], [306, "modeArg2"], [452, "modeArg2"], [226, "enotsup"], [227, "enotsup"], [228, "enotsup"]],
    },
  ],
  arm64: [
    {
      arch: 0xc00000b7,
      // fchmod, fchmodat, fchmodat2; setxattr, lsetxattr, fsetxattr (no chmod on aarch64)
      calls: [[52, "modeArg1"], [53, "modeArg2"], [452, "modeArg2"], [5, "enotsup"], [6, "enotsup"], [7, "enotsup"]],
    },
  ],
};

interface Insn {
  readonly code: number;
  readonly k: number;
  /** Jump targets (labels, or "next" for the following instruction). */
  readonly jt?: Label | "next" | `arch${number}`;
  readonly jf?: Label | "next" | `arch${number}`;
  readonly label?: Label | `arch${number}`;
}

/**
 * The filter for `nodeArch` (process.arch), as the bytes of `struct sock_filter[]`; null where we
 * do not know the architecture's syscall numbers (builds then run without the filter).
 */
export function sandboxSeccompFilter(nodeArch: string = process.arch): Buffer | null {
  // The same for every build: assembled once per process.
  let filter = assembledFilters.get(nodeArch);
  if (filter === undefined) {
    filter = assembleFilter(nodeArch);
    assembledFilters.set(nodeArch, filter);
  }
  return filter;
}

const assembledFilters = new Map<string, Buffer | null>();

function assembleFilter(nodeArch: string): Buffer | null {
  const arches = ARCHES[nodeArch];
  if (arches === undefined) return null;
  const prog: Insn[] = [];
  arches.forEach((a, i) => {
    const nextArch = i + 1 < arches.length ? (`arch${i + 1}` as const) : "allow";
    prog.push({ code: LD_W_ABS, k: ARCH, label: `arch${i}` });
    prog.push({ code: JEQ_K, k: a.arch, jt: "next", jf: nextArch });
    prog.push({ code: LD_W_ABS, k: NR });
    if (a.nrMask !== undefined) prog.push({ code: ALU_AND_K, k: a.nrMask });
    for (const [nr, target] of a.calls) prog.push({ code: JEQ_K, k: nr, jt: target, jf: "next" });
    prog.push({ code: RET_K, k: RET_ALLOW });
  });
  prog.push({ code: LD_W_ABS, k: argOffset(1), label: "modeArg1" });
  prog.push({ code: JSET_K, k: S_ISUID_OR_ISGID, jt: "eperm", jf: "allow" });
  prog.push({ code: LD_W_ABS, k: argOffset(2), label: "modeArg2" });
  prog.push({ code: JSET_K, k: S_ISUID_OR_ISGID, jt: "eperm", jf: "allow" });
  prog.push({ code: RET_K, k: retErrno(EPERM), label: "eperm" });
  prog.push({ code: RET_K, k: retErrno(ENOTSUP), label: "enotsup" });
  prog.push({ code: RET_K, k: RET_ALLOW, label: "allow" });
  return assemble(prog);
}

function assemble(prog: readonly Insn[]): Buffer {
  const at = new Map<string, number>();
  prog.forEach((insn, i) => {
    if (insn.label !== undefined) at.set(insn.label, i);
  });
  const offset = (from: number, target: Insn["jt"]): number => {
    if (target === undefined || target === "next") return 0;
    const d = at.get(target)! - from - 1;
    if (!(d >= 0 && d <= 255)) throw new Error(`seccomp filter: jump to ${target} out of range`);
    return d;
  };
  const buf = Buffer.alloc(prog.length * 8);
  prog.forEach((insn, i) => {
    buf.writeUInt16LE(insn.code, i * 8);
    buf.writeUInt8(offset(i, insn.jt), i * 8 + 2);
    buf.writeUInt8(offset(i, insn.jf), i * 8 + 3);
    buf.writeUInt32LE(insn.k >>> 0, i * 8 + 4);
  });
  return buf;
}
