#!/usr/bin/env python3
"""Dump golden hidden states and logits of a Hugging Face model with transformers, for
`classifsae verify-backbone --model FOLDER --golden FILE [--tolerance X]` (exit 0 within tolerance, 3 on a mismatch,
1 on bad input).

    pip install torch transformers safetensors
    python build/tools/dump_golden.py --model EleutherAI/pythia-70m --out golden.safetensors
    python build/tools/dump_golden.py --model ./my-bert-classifier --out golden.safetensors --max-length 256

Format (one entry per prompt i, every backbone family this project supports):
    input_ids.i       [T]         int64    one row of a padded batch (T = the batch's length)
    attention_mask.i  [T]         int64    1 = real token, 0 = padding
    hidden_states.i   [L+1, T, D] float32  transformers' output_hidden_states order (0 = embeddings; the last entry is
                                           what the model returns last, e.g. after GPT-NeoX's final LayerNorm)
    logits.i          [T, V] for causal LMs, [C] for *ForSequenceClassification models, float32
The verifier compares real tokens only (what a model computes at padding is arbitrary).

Batches: the short prompts form one batch with different lengths; a second batch holds a prompt filling the model's
maximum length (--max-length caps it) beside a shorter one, so padding and positions far from 0 are both covered.
Causal LMs are padded on the left and given position_ids = cumsum(attention_mask) - 1 (pads at 1, never compared):
a plain transformers forward without position_ids numbers positions 0..T-1 including the pads
(GPTNeoXModel.forward: position_ids = torch.arange(past_length, seq_length + past_length)); generate() derives them
from the mask as here, and so do TransformerLens and this project, so a left-padded row gives the same numbers as the
row alone. Sequence classifiers are padded on the right with their own positions (BERT-style absolute positions).
Size: a causal LM's logits are T x V floats per prompt (Pythia at 2048 tokens: ~410 MB each); lower --max-length
for a smaller file.
"""
import argparse
import json

import torch
import transformers
from safetensors.torch import save_file
from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForSequenceClassification, AutoTokenizer

SHORT_PROMPTS = [
    "Wall St. Bears Claw Back Into the Black (Reuters)\n\nOPTIONS:\n0(World)\n1(Sports)\n2(Business)\n3(SciTech) \n2",
    "A quiet film with a  remarkable cast.\n\nOPTIONS:\n0(negative)\n1(positive) \n1",
    "Hello world",
    "Café owners in São Paulo raise prices by $5.50 — a 12% jump!\n\nOPTIONS:\n0(World)\n1(Sports)\n2(Business)\n3(SciTech) \n2",
]
FILLER = (" Oil prices rose on Tuesday as traders weighed supply worries against signs of slowing demand, while"
          " the home side scored twice in the final minutes to win the cup.")


def is_classifier(config) -> bool:
    return any(a.endswith("ForSequenceClassification") for a in (config.architectures or []))


def load_model(name: str, classifier: bool):
    cls = AutoModelForSequenceClassification if classifier else AutoModelForCausalLM
    try:  # the eager attention is the plainest reference (transformers >= 4.36 takes the argument)
        return cls.from_pretrained(name, torch_dtype=torch.float32, attn_implementation="eager").eval()
    except TypeError:
        return cls.from_pretrained(name, torch_dtype=torch.float32).eval()


def encode(tok, text: str, max_length: int):
    ids = tok(text, add_special_tokens=True).input_ids
    return ids[-max_length:] if len(ids) > max_length else ids


def long_prompt(tok, max_length: int):
    text = FILLER
    while len(tok(text, add_special_tokens=True).input_ids) < max_length:
        text += FILLER
    return encode(tok, text, max_length)


def pad_batch(rows, pad_id: int, left: bool):
    t = max(len(r) for r in rows)
    ids = torch.full((len(rows), t), pad_id, dtype=torch.int64)
    mask = torch.zeros((len(rows), t), dtype=torch.int64)
    for b, r in enumerate(rows):
        cols = slice(t - len(r), t) if left else slice(0, len(r))
        ids[b, cols] = torch.tensor(r, dtype=torch.int64)
        mask[b, cols] = 1
    return ids, mask


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="hub id or local folder")
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-length", type=int, default=None, help="longest prompt (default: the model's maximum length)")
    args = parser.parse_args()

    config = AutoConfig.from_pretrained(args.model)
    classifier = is_classifier(config)
    tok = AutoTokenizer.from_pretrained(args.model)
    pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
    if pad_id is None:
        raise SystemExit(f"{args.model}: the tokenizer has neither a pad nor an end-of-text token")
    model_max = getattr(config, "max_position_embeddings", None) or tok.model_max_length
    max_length = min(args.max_length or model_max, model_max)
    model = load_model(args.model, classifier)

    short = [encode(tok, p, max_length) for p in SHORT_PROMPTS]
    batches = [short, [long_prompt(tok, max_length), short[0]]]
    tensors, i = {}, 0
    with torch.no_grad():
        for rows in batches:
            ids, mask = pad_batch(rows, pad_id, left=not classifier)
            kwargs = dict(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            if not classifier:
                kwargs["position_ids"] = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
            out = model(**kwargs)
            states = torch.stack(out.hidden_states)  # [L+1, B, T, D]
            for b in range(len(rows)):
                tensors[f"input_ids.{i}"] = ids[b].contiguous()
                tensors[f"attention_mask.{i}"] = mask[b].contiguous()
                tensors[f"hidden_states.{i}"] = states[:, b].float().contiguous()
                tensors[f"logits.{i}"] = out.logits[b].float().contiguous()
                i += 1
    save_file(tensors, args.out, metadata={
        "model": args.model,
        "architectures": json.dumps(config.architectures),
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "padding": "right" if classifier else "left, position_ids = cumsum(attention_mask) - 1",
        "max_length": str(max_length),
    })
    print(f"wrote {i} prompts (longest {max(len(r) for b in batches for r in b)} tokens) to {args.out}")


if __name__ == "__main__":
    main()
