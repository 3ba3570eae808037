#!/usr/bin/env python3
"""A tiny random RoBERTa or DeBERTa-v2 sequence classifier and its golden file, made with an independent plain-torch forward
(float64), NOT with transformers: for testing `classifsae verify-backbone` end to end where transformers is not installed
(its own golden files come from build/tools/dump_golden.py --tiny-random). Only torch is needed (Debian's python3-torch).

    python3 build/tools/torch_twin_encoders.py --family deberta-v2 --model ./tiny-deberta --out golden.safetensors

Writes --model/config.json and --model/model.safetensors (transformers' names and layout) and --out in dump_golden.py's
format: input_ids.i / attention_mask.i [T] int64 (right padding), hidden_states.i [L+1, T, D] and logits.i [C] float32.
The forward follows transformers' modelling code as described in spec 04 §3.7.5 and the RoBERTa docs (positions from
pad_token_id + 1, classification head dense + tanh + out_proj on <s>; DeBERTa: log-bucketed relative positions,
share_att_key, c2p and p2c, scale sqrt(d * 3), LayerNorm'ed rel_embeddings, ContextPooler dense + GELU).
"""
import argparse
import json
import math
import struct

import torch

CONFIGS = {
    "roberta": dict(model_type="roberta", architectures=["RobertaForSequenceClassification"], vocab_size=100, hidden_size=32,
                    num_hidden_layers=2, num_attention_heads=4, intermediate_size=64, hidden_act="gelu",
                    max_position_embeddings=66, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                    layer_norm_eps=1e-5, start=0, end=2),
    "deberta-v2": dict(model_type="deberta-v2", architectures=["DebertaV2ForSequenceClassification"], vocab_size=100, hidden_size=32,
                       num_hidden_layers=2, num_attention_heads=4, intermediate_size=64, hidden_act="gelu",
                       max_position_embeddings=64, relative_attention=True, position_buckets=8, max_relative_positions=32,
                       pos_att_type=["p2c", "c2p"], share_att_key=True, norm_rel_ebd="layer_norm", position_biased_input=False,
                       type_vocab_size=0, pad_token_id=0, layer_norm_eps=1e-7, pooler_hidden_size=32, pooler_dropout=0,
                       pooler_hidden_act="gelu", start=1, end=2),
}
LABELS = 3


def shapes(c):
    d, f, v = c["hidden_size"], c["intermediate_size"], c["vocab_size"]
    if c["model_type"] == "roberta":
        s = {"roberta.embeddings.word_embeddings.weight": (v, d),
             "roberta.embeddings.position_embeddings.weight": (c["max_position_embeddings"], d),
             "roberta.embeddings.token_type_embeddings.weight": (1, d),
             "roberta.embeddings.LayerNorm.weight": (d,), "roberta.embeddings.LayerNorm.bias": (d,),
             "classifier.dense.weight": (d, d), "classifier.dense.bias": (d,),
             "classifier.out_proj.weight": (LABELS, d), "classifier.out_proj.bias": (LABELS,)}
        names = dict(prefix="roberta.encoder.layer.", q="query", k="key", v="value")
    else:
        s = {"deberta.embeddings.word_embeddings.weight": (v, d),
             "deberta.embeddings.LayerNorm.weight": (d,), "deberta.embeddings.LayerNorm.bias": (d,),
             "deberta.encoder.rel_embeddings.weight": (2 * c["position_buckets"], d),
             "deberta.encoder.LayerNorm.weight": (d,), "deberta.encoder.LayerNorm.bias": (d,),
             "pooler.dense.weight": (d, d), "pooler.dense.bias": (d,),
             "classifier.weight": (LABELS, d), "classifier.bias": (LABELS,)}
        names = dict(prefix="deberta.encoder.layer.", q="query_proj", k="key_proj", v="value_proj")
    for l in range(c["num_hidden_layers"]):
        p = f"{names['prefix']}{l}."
        for proj in ("q", "k", "v"):
            s[f"{p}attention.self.{names[proj]}.weight"] = (d, d)
            s[f"{p}attention.self.{names[proj]}.bias"] = (d,)
        s.update({f"{p}attention.output.dense.weight": (d, d), f"{p}attention.output.dense.bias": (d,),
                  f"{p}attention.output.LayerNorm.weight": (d,), f"{p}attention.output.LayerNorm.bias": (d,),
                  f"{p}intermediate.dense.weight": (f, d), f"{p}intermediate.dense.bias": (f,),
                  f"{p}output.dense.weight": (d, f), f"{p}output.dense.bias": (d,),
                  f"{p}output.LayerNorm.weight": (d,), f"{p}output.LayerNorm.bias": (d,)})
    return s


def random_weights(c, g):
    w = {}
    for name, shape in shapes(c).items():
        t = torch.randn(shape, generator=g, dtype=torch.float64)
        w[name] = 1 + 0.1 * t if name.endswith("LayerNorm.weight") else 0.1 * t if name.endswith("bias") else 0.2 * t
    # stored as float32: the forward must run on exactly what the C# side loads
    return {k: v.float().double() for k, v in w.items()}


def layer_norm(x, w, p, eps):
    mu = x.mean(-1, keepdim=True)
    var = ((x - mu) ** 2).mean(-1, keepdim=True)
    return (x - mu) / torch.sqrt(var + eps) * w[p + ".weight"] + w[p + ".bias"]


def linear(x, w, p):
    return x @ w[p + ".weight"].T + w[p + ".bias"]


def gelu(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))


def masked_softmax(scores, visible):
    scores = scores.masked_fill(~visible, float("-inf"))
    probs = torch.softmax(scores, -1)
    return torch.nan_to_num(probs, nan=0.0)  # a query with no visible key (a pad row) reads nothing


def heads(x, h):
    t, d = x.shape
    return x.view(t, h, d // h).transpose(0, 1)  # [H, T, hd]


def ffn_and_norms(x, ctx, w, p, eps):
    a = layer_norm(linear(ctx, w, p + "attention.output.dense") + x, w, p + "attention.output.LayerNorm", eps)
    up = gelu(linear(a, w, p + "intermediate.dense"))
    return layer_norm(linear(up, w, p + "output.dense") + a, w, p + "output.LayerNorm", eps)


def roberta_forward(c, w, ids, mask):
    pad, eps, h = c["pad_token_id"], c["layer_norm_eps"], c["num_attention_heads"]
    real = (ids != pad).long()
    pos = torch.cumsum(real, 0) * real + pad
    x = (w["roberta.embeddings.word_embeddings.weight"][ids] + w["roberta.embeddings.position_embeddings.weight"][pos]
         + w["roberta.embeddings.token_type_embeddings.weight"][0])
    x = layer_norm(x, w, "roberta.embeddings.LayerNorm", eps)
    states = [x]
    visible = mask.bool().unsqueeze(0).expand(len(ids), -1)
    for l in range(c["num_hidden_layers"]):
        p = f"roberta.encoder.layer.{l}."
        q, k, v = (heads(linear(x, w, p + f"attention.self.{n}"), h) for n in ("query", "key", "value"))
        probs = masked_softmax(q @ k.transpose(1, 2) / math.sqrt(q.shape[-1]), visible)
        ctx = (probs @ v).transpose(0, 1).reshape(len(ids), -1)
        x = ffn_and_norms(x, ctx, w, p, eps)
        states.append(x)
    logits = linear(torch.tanh(linear(x[0], w, "classifier.dense")), w, "classifier.out_proj")
    return torch.stack(states), logits


def log_bucket(delta, buckets, max_position):
    mid = buckets // 2
    if abs(delta) <= mid:
        return delta
    # float32 like transformers' make_log_bucket_position: the ceil depends on it
    ratio = torch.log(torch.tensor(abs(delta) / mid, dtype=torch.float32)) / torch.log(torch.tensor((max_position - 1) / mid, dtype=torch.float32))
    return int(math.copysign(int(torch.ceil(ratio * (mid - 1)).item()) + mid, delta))


def deberta_forward(c, w, ids, mask):
    eps, h, t = c["layer_norm_eps"], c["num_attention_heads"], len(ids)
    span = c["position_buckets"]
    x = layer_norm(w["deberta.embeddings.word_embeddings.weight"][ids], w, "deberta.embeddings.LayerNorm", eps) * mask.unsqueeze(1)
    rel = layer_norm(w["deberta.encoder.rel_embeddings.weight"], w, "deberta.encoder.LayerNorm", eps)
    bucket = torch.tensor([[log_bucket(i - j, span, c["max_relative_positions"]) for j in range(t)] for i in range(t)])
    c2p_index = torch.clamp(bucket + span, 0, 2 * span - 1)          # [i, j]
    p2c_index = torch.clamp(-bucket.T + span, 0, 2 * span - 1)       # [i, j] = clamp(-b(j - i) + span)
    visible = (mask.bool().unsqueeze(1) & mask.bool().unsqueeze(0))
    scale = math.sqrt(c["hidden_size"] // h * 3)
    states = [x]
    for l in range(c["num_hidden_layers"]):
        p = f"deberta.encoder.layer.{l}."
        q, k, v = (heads(linear(x, w, p + f"attention.self.{n}"), h) for n in ("query_proj", "key_proj", "value_proj"))
        qr = heads(linear(rel, w, p + "attention.self.query_proj"), h)   # share_att_key: the content projections
        kr = heads(linear(rel, w, p + "attention.self.key_proj"), h)
        content = q @ k.transpose(1, 2)                                  # [H, i, j]
        c2p = torch.einsum("hid,hijd->hij", q, kr[:, c2p_index])         # Q_i . K^r[c(i, j)]
        p2c = torch.einsum("hjd,hijd->hij", k, qr[:, p2c_index])         # K_j . Q^r[p(j, i)]
        probs = masked_softmax((content + c2p + p2c) / scale, visible.unsqueeze(0).expand(h, -1, -1))
        ctx = (probs @ v).transpose(0, 1).reshape(t, -1)
        x = ffn_and_norms(x, ctx, w, p, eps)
        states.append(x)
    logits = linear(gelu(linear(x[0], w, "pooler.dense")), w, "classifier")
    return torch.stack(states), logits


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.contiguous().numpy().tobytes() if hasattr(t, "numpy") else bytes(t)
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    header["__metadata__"] = metadata
    raw = json.dumps(header, separators=(",", ":")).encode()
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--family", choices=sorted(CONFIGS), required=True)
    parser.add_argument("--model", required=True, help="folder to write config.json and model.safetensors to")
    parser.add_argument("--out", required=True, help="golden safetensors file")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import os
    c = dict(CONFIGS[args.family])
    start, end = c.pop("start"), c.pop("end")
    c.update(id2label={str(i): f"LABEL_{i}" for i in range(LABELS)}, label2id={f"LABEL_{i}": i for i in range(LABELS)})
    g = torch.Generator().manual_seed(args.seed)
    w = random_weights(c, g)
    os.makedirs(args.model, exist_ok=True)
    with open(os.path.join(args.model, "config.json"), "w") as f:
        json.dump(c, f, indent=2)
    write_safetensors(os.path.join(args.model, "model.safetensors"), {k: v.float() for k, v in w.items()}, {"format": "pt"})

    max_length = c["max_position_embeddings"] - (c["pad_token_id"] + 1 if args.family == "roberta" else 0)
    row = lambda n: [start] + torch.randint(4, c["vocab_size"], (n - 2,), generator=g).tolist() + [end]
    batches = [[row(9), row(6), row(3), row(12)], [row(max_length), row(5)]]
    forward = roberta_forward if args.family == "roberta" else deberta_forward
    tensors, i = {}, 0
    for rows in batches:
        t = max(len(r) for r in rows)
        for r in rows:
            ids = torch.tensor(r + [c["pad_token_id"]] * (t - len(r)), dtype=torch.int64)
            mask = torch.tensor([1] * len(r) + [0] * (t - len(r)), dtype=torch.int64)
            states, logits = forward(c, w, ids, mask.double())
            tensors[f"input_ids.{i}"], tensors[f"attention_mask.{i}"] = ids, mask
            tensors[f"hidden_states.{i}"], tensors[f"logits.{i}"] = states.float(), logits.float()
            i += 1
    write_safetensors(args.out, tensors, {"made_by": "build/tools/torch_twin_encoders.py: an independent torch forward, NOT transformers",
                                          "family": args.family, "seed": str(args.seed), "torch": torch.__version__})
    print(f"wrote {args.model} and {i} prompts (longest {max_length} tokens) to {args.out}")


if __name__ == "__main__":
    main()
