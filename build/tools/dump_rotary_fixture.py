#!/usr/bin/env python3
"""Rotary cos/sin of GPT-NeoX exactly as transformers computes them (float32 throughout), for the test
RotaryEmbeddingFixtureTests (tests/ClassifSae.Tests/Backbones).

    python3 build/tools/dump_rotary_fixture.py > tests/ClassifSae.Tests/Fixtures/rotary_gpt_neox_torch.json

Needs only torch (Debian: apt-get install python3-torch). transformers' GPTNeoXRotaryEmbedding (and the default
rope init of later versions) computes, all in float32:
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    t = torch.arange(seq_len, dtype=torch.int64).type_as(inv_freq)
    freqs = torch.outer(t, inv_freq); emb = torch.cat((freqs, freqs), dim=-1); cos, sin = emb.cos(), emb.sin()
(later versions form freqs as inv_freq[:, None] @ position_ids[None, :] in float32, the same single products).
Values are written as the float32 numbers' shortest round-trip decimals, so a reader parsing them as float32
gets the exact bits.
"""
import json

import numpy as np
import torch

# (rotary dims, base): Pythia-70m/160m/410m (head 64, rotary_pct 0.25), Pythia-1b (head 256), a non-default base.
CASES = [(16, 10000), (64, 10000), (32, 500000)]
POSITIONS = [0, 1, 2, 7, 100, 511, 1024, 1791, 1792, 1800, 2000, 2047, 4095]


def table(dim: int, base: float, length: int):
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2, dtype=torch.int64).float() / dim))
    t = torch.arange(length, dtype=torch.int64).type_as(inv_freq)
    freqs = torch.outer(t, inv_freq)
    emb = torch.cat((freqs, freqs), dim=-1)
    return emb.cos(), emb.sin()


def as_list(x: torch.Tensor):
    return [float(np.float32(v)) for v in x.tolist()]


def main() -> None:
    cases = []
    for dim, base in CASES:
        cos, sin = table(dim, base, max(POSITIONS) + 1)
        assert cos.dtype == torch.float32
        cases.append({
            "rotary_dims": dim,
            "base": base,
            "positions": POSITIONS,
            "cos": [as_list(cos[p]) for p in POSITIONS],
            "sin": [as_list(sin[p]) for p in POSITIONS],
        })
    print(json.dumps({
        "made_by": "build/tools/dump_rotary_fixture.py",
        "torch": torch.__version__,
        "numpy": np.__version__,
        "cases": cases,
    }))


if __name__ == "__main__":
    main()
