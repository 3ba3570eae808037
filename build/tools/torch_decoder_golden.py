#!/usr/bin/env python3
"""Golden hidden states and logits of a small Llama / Mistral / Qwen2 / GPT-J checkpoint from an independent forward
written here in plain torch (float64), for `classifsae verify-backbone` when transformers is not installed.

NOT transformers: this is a second implementation of the same published architectures (our reading of transformers'
modelling code), useful to check the golden-file path end to end on a machine without transformers. Golden files made
by transformers itself come from build/tools/dump_golden.py (--tiny-random FAMILY).

    python3 build/tools/torch_decoder_golden.py --model FOLDER --out golden.safetensors

FOLDER holds config.json and model.safetensors (float32, unsharded). Needs only torch (>= 1.10) and the standard
library: safetensors is read and written by hand. Output format: dump_golden.py's (input_ids.i, attention_mask.i,
hidden_states.i [L+1, T, D], logits.i [T, V]); one left-padded batch of the fixed rows below, positions =
cumsum(mask) - 1 as in dump_golden.py.
"""
import argparse
import json
import math
import struct

import torch

ROWS = [[1, 17, 4, 9, 22, 8, 40, 30, 11, 3, 25, 6], [1, 5, 33, 2, 7, 44, 19], [1, 6, 28]]
DTYPES = {"F32": torch.float32, "F64": torch.float64, "I64": torch.int64}
NAMES = {torch.float32: "F32", torch.int64: "I64"}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in DTYPES:
            raise SystemExit(f"{path}: tensor {name} has dtype {info['dtype']}; this script reads F32/F64/I64 only")
        a, b = info["data_offsets"]
        buf = bytearray(data[8 + n + a:8 + n + b])
        out[name] = torch.frombuffer(buf, dtype=DTYPES[info["dtype"]]).reshape(info["shape"]).clone()
    return out


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, t in tensors.items():
        raw = t.contiguous().numpy().tobytes()
        header[name] = {"dtype": NAMES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for raw in blobs:
            f.write(raw)


def linear(x, w, b=None):
    y = x @ w.T
    return y if b is None else y + b


def attend(q, k, v, allowed):
    # q, k, v: [H, T, hd]; allowed: [T, T] bool (query, key)
    scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~allowed, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def allowed_keys(mask, window):
    t = mask.shape[0]
    i = torch.arange(t)[:, None]
    j = torch.arange(t)[None, :]
    ok = (j <= i) & mask.bool()[None, :]
    if window is not None:
        ok &= (i - j) < window
    return ok | torch.eye(t, dtype=torch.bool)


def llama_inv_freq(cfg, d):
    inv = torch.tensor([1.0 / cfg.get("rope_theta", 10000.0) ** (2 * i / d) for i in range(d // 2)], dtype=torch.float64)
    rs = cfg.get("rope_scaling")
    if rs and (rs.get("rope_type") or rs.get("type")) == "llama3":
        old, lo, hi, f = rs["original_max_position_embeddings"], rs["low_freq_factor"], rs["high_freq_factor"], rs["factor"]
        out = []
        for x in inv.tolist():
            lam = 2 * math.pi / x
            if lam < old / hi:
                out.append(x)
            elif lam > old / lo:
                out.append(x / f)
            else:
                s = (old / lam - lo) / (hi - lo)
                out.append((1 - s) * x / f + s * x)
        inv = torch.tensor(out, dtype=torch.float64)
    return inv


def rotate_half(x, pos, inv):
    # x: [T, hd]; pairs (i, i + hd/2)
    ang = pos[:, None].double() * inv[None, :]
    c, s = torch.cos(ang), torch.sin(ang)
    h = x.shape[-1] // 2
    x1, x2 = x[:, :h], x[:, h:]
    return torch.cat([x1 * c - x2 * s, x2 * c + x1 * s], dim=-1)


def rotate_pairs(x, pos, r):
    # GPT-J: pairs (2i, 2i+1) of the first r dims
    inv = torch.tensor([1.0 / 10000 ** (2 * i / r) for i in range(r // 2)], dtype=torch.float64)
    ang = pos[:, None].double() * inv[None, :]
    c, s = torch.cos(ang), torch.sin(ang)
    even, odd = x[:, 0:r:2], x[:, 1:r:2]
    rot = torch.stack([even * c - odd * s, odd * c + even * s], dim=-1).reshape(x.shape[0], r)
    return torch.cat([rot, x[:, r:]], dim=-1)


def rms(x, w, eps):
    return w * (x / torch.sqrt((x * x).mean(-1, keepdim=True) + eps))


def llama_forward(cfg, w, ids, mask):
    mt = cfg["model_type"]
    d, heads = cfg["hidden_size"], cfg["num_attention_heads"]
    kv = cfg.get("num_key_value_heads") or heads
    hd = cfg.get("head_dim") or d // heads
    eps = cfg["rms_norm_eps"]
    window = cfg.get("sliding_window") if mt == "mistral" else None
    inv = llama_inv_freq(cfg, hd)
    pos = (mask.cumsum(0) - 1).clamp(min=0)
    ok = allowed_keys(mask, window)
    x = w["model.embed_tokens.weight"][ids]
    states = [x]
    n = cfg["num_hidden_layers"]
    for l in range(n):
        p = f"model.layers.{l}."
        h = rms(x, w[p + "input_layernorm.weight"], eps)
        q = linear(h, w[p + "self_attn.q_proj.weight"], w.get(p + "self_attn.q_proj.bias")).reshape(-1, heads, hd)
        k = linear(h, w[p + "self_attn.k_proj.weight"], w.get(p + "self_attn.k_proj.bias")).reshape(-1, kv, hd)
        v = linear(h, w[p + "self_attn.v_proj.weight"], w.get(p + "self_attn.v_proj.bias")).reshape(-1, kv, hd)
        outs = []
        for head in range(heads):
            g = head // (heads // kv)
            outs.append(attend(rotate_half(q[:, head], pos, inv)[None], rotate_half(k[:, g], pos, inv)[None], v[:, g][None], ok)[0])
        x = x + linear(torch.cat(outs, dim=-1), w[p + "self_attn.o_proj.weight"], w.get(p + "self_attn.o_proj.bias"))
        h = rms(x, w[p + "post_attention_layernorm.weight"], eps)
        gate = linear(h, w[p + "mlp.gate_proj.weight"], w.get(p + "mlp.gate_proj.bias"))
        up = linear(h, w[p + "mlp.up_proj.weight"], w.get(p + "mlp.up_proj.bias"))
        x = x + linear(gate * torch.sigmoid(gate) * up, w[p + "mlp.down_proj.weight"], w.get(p + "mlp.down_proj.bias"))
        if l < n - 1:
            states.append(x)
    normed = rms(x, w["model.norm.weight"], eps)
    states.append(normed)
    head = w.get("lm_head.weight", w["model.embed_tokens.weight"])
    return torch.stack(states), linear(normed, head)


def layer_norm(x, g, b, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * g + b


def gptj_forward(cfg, w, ids, mask):
    d, heads = cfg["n_embd"], cfg["n_head"]
    hd = d // heads
    r = cfg.get("rotary_dim") or hd
    eps = cfg.get("layer_norm_epsilon", 1e-5)
    pos = (mask.cumsum(0) - 1).clamp(min=0)
    ok = allowed_keys(mask, None)
    x = w["transformer.wte.weight"][ids]
    states = [x]
    n = cfg["n_layer"]
    for l in range(n):
        p = f"transformer.h.{l}."
        h = layer_norm(x, w[p + "ln_1.weight"], w[p + "ln_1.bias"], eps)
        q = linear(h, w[p + "attn.q_proj.weight"]).reshape(-1, heads, hd)
        k = linear(h, w[p + "attn.k_proj.weight"]).reshape(-1, heads, hd)
        v = linear(h, w[p + "attn.v_proj.weight"]).reshape(-1, heads, hd)
        outs = [attend(rotate_pairs(q[:, i], pos, r)[None], rotate_pairs(k[:, i], pos, r)[None], v[:, i][None], ok)[0] for i in range(heads)]
        attn = linear(torch.cat(outs, dim=-1), w[p + "attn.out_proj.weight"])
        u = linear(h, w[p + "mlp.fc_in.weight"], w[p + "mlp.fc_in.bias"])
        act = 0.5 * u * (1 + torch.tanh(math.sqrt(2 / math.pi) * (u + 0.044715 * u ** 3)))
        x = x + attn + linear(act, w[p + "mlp.fc_out.weight"], w[p + "mlp.fc_out.bias"])
        if l < n - 1:
            states.append(x)
    normed = layer_norm(x, w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], eps)
    states.append(normed)
    head = w.get("lm_head.weight", w["transformer.wte.weight"])
    return torch.stack(states), linear(normed, head, w["lm_head.bias"])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    with open(f"{args.model}/config.json") as f:
        cfg = json.load(f)
    w = {k: v.double() for k, v in read_safetensors(f"{args.model}/model.safetensors").items()}
    forward = {"llama": llama_forward, "mistral": llama_forward, "qwen2": llama_forward, "gptj": gptj_forward}.get(cfg.get("model_type"))
    if forward is None:
        raise SystemExit(f"{args.model}/config.json: model_type {cfg.get('model_type')!r} is not llama, mistral, qwen2 or gptj")
    t = max(len(r) for r in ROWS)
    tensors = {}
    with torch.no_grad():
        for i, row in enumerate(ROWS):
            ids = torch.tensor([0] * (t - len(row)) + row, dtype=torch.int64)
            mask = torch.tensor([0] * (t - len(row)) + [1] * len(row), dtype=torch.int64)
            states, logits = forward(cfg, w, ids, mask)
            tensors[f"input_ids.{i}"] = ids
            tensors[f"attention_mask.{i}"] = mask
            tensors[f"hidden_states.{i}"] = states.float()
            tensors[f"logits.{i}"] = logits.float()
    write_safetensors(args.out, tensors, {"model": args.model, "made_by": "torch_decoder_golden.py (independent torch float64 forward, not transformers)",
                                          "torch": torch.__version__, "padding": "left, position_ids = cumsum(attention_mask) - 1"})
    print(f"wrote {len(ROWS)} prompts to {args.out}")


if __name__ == "__main__":
    main()
