#!/usr/bin/env python3
"""Dump golden hidden states and logits of a Hugging Face model with transformers, for
`classifsae verify-backbone --model FOLDER --golden FILE [--tolerance X]` (exit 0 within tolerance, 3 on a mismatch,
1 on bad input).

    pip install torch transformers safetensors
    python build/tools/dump_golden.py --model EleutherAI/pythia-70m --out golden.safetensors
    python build/tools/dump_golden.py --model ./my-bert-classifier --out golden.safetensors --max-length 256
    python build/tools/dump_golden.py --tiny-random deberta-v2 --model ./tiny-deberta --out golden.safetensors

--tiny-random FAMILY (bert, roberta, deberta-v2) builds a small randomly initialised *ForSequenceClassification with
transformers itself (deberta-v2: v3's switches, with position buckets small enough that the long row reaches the log
buckets), saves it to --model as a Hugging Face folder (config.json + model.safetensors) and dumps it on random token ids
framed by the family's special tokens: no tokenizer is needed, and `verify-backbone --model FOLDER` reads the same folder.

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
row alone. Sequence classifiers are padded on the right with their own positions (BERT: 0, 1, ...; RoBERTa: from
pad_token_id + 1; DeBERTa: relative) and truncated on the right keeping the final special token, as their tokenizers do.
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


# Tiny random classifiers: the family's sizes scaled down, its switches kept; ids of the special tokens the rows are framed by.
TINY = {
    "bert": dict(config=dict(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                             max_position_embeddings=64, type_vocab_size=2, pad_token_id=0),
                 start=2, end=3),
    "roberta": dict(config=dict(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                                max_position_embeddings=66, type_vocab_size=1, pad_token_id=1, bos_token_id=0, eos_token_id=2,
                                layer_norm_eps=1e-5),
                    start=0, end=2),
    "deberta-v2": dict(config=dict(vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=64,
                                   max_position_embeddings=64, relative_attention=True, position_buckets=8, max_relative_positions=32,
                                   pos_att_type="p2c|c2p", share_att_key=True, norm_rel_ebd="layer_norm", position_biased_input=False,
                                   type_vocab_size=0, pad_token_id=0, layer_norm_eps=1e-7, pooler_hidden_size=32, pooler_dropout=0,
                                   pooler_hidden_act="gelu"),
                       start=1, end=2),
}


def tiny_random(family: str, folder: str, seed: int):
    """A random tiny classifier saved to folder; returns (model, rows of ids, pad id, max length)."""
    spec = TINY[family]
    config = AutoConfig.for_model(family, num_labels=3, initializer_range=0.2, **spec["config"])
    torch.manual_seed(seed)
    model = AutoModelForSequenceClassification.from_config(config).eval()
    model.save_pretrained(folder, safe_serialization=True)
    model = load_model(folder, classifier=True)
    max_length = config.max_position_embeddings - (config.pad_token_id + 1 if family == "roberta" else 0)
    g = torch.Generator().manual_seed(seed)
    def row(n):
        return [spec["start"]] + torch.randint(4, config.vocab_size, (n - 2,), generator=g).tolist() + [spec["end"]]
    batches = [[row(9), row(6), row(3), row(12)], [row(max_length), row(5)]]
    return model, config, batches, config.pad_token_id, max_length


def is_classifier(config) -> bool:
    return any(a.endswith("ForSequenceClassification") for a in (config.architectures or []))


def load_model(name: str, classifier: bool):
    cls = AutoModelForSequenceClassification if classifier else AutoModelForCausalLM
    try:  # the eager attention is the plainest reference (transformers >= 4.36 takes the argument)
        return cls.from_pretrained(name, torch_dtype=torch.float32, attn_implementation="eager").eval()
    except TypeError:
        return cls.from_pretrained(name, torch_dtype=torch.float32).eval()


def encode(tok, text: str, max_length: int, classifier: bool):
    if classifier:  # right truncation that keeps the final special token, as the tokenizer truncates for encoders
        return tok(text, add_special_tokens=True, truncation=True, max_length=max_length).input_ids
    ids = tok(text, add_special_tokens=True).input_ids
    return ids[-max_length:] if len(ids) > max_length else ids


def long_prompt(tok, max_length: int, classifier: bool):
    text = FILLER
    while len(tok(text, add_special_tokens=True).input_ids) < max_length:
        text += FILLER
    return encode(tok, text, max_length, classifier)


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
    parser.add_argument("--tiny-random", choices=sorted(TINY), default=None,
                        help="build a random tiny classifier of this family with transformers and save it to --model first")
    parser.add_argument("--seed", type=int, default=0, help="seed of --tiny-random's weights and ids")
    args = parser.parse_args()

    if args.tiny_random:
        model, config, batches, pad_id, max_length = tiny_random(args.tiny_random, args.model, args.seed)
        classifier = True
    else:
        config = AutoConfig.from_pretrained(args.model)
        classifier = is_classifier(config)
        tok = AutoTokenizer.from_pretrained(args.model)
        pad_id = tok.pad_token_id if tok.pad_token_id is not None else tok.eos_token_id
        if pad_id is None:
            raise SystemExit(f"{args.model}: the tokenizer has neither a pad nor an end-of-text token")
        model_max = getattr(config, "max_position_embeddings", None) or tok.model_max_length
        if config.model_type in ("roberta", "xlm-roberta", "camembert"):
            # positions start at pad_token_id + 1: roberta-base's 514 position rows hold 512 tokens
            model_max -= config.pad_token_id + 1
        max_length = min(args.max_length or model_max, model_max)
        model = load_model(args.model, classifier)
        short = [encode(tok, p, max_length, classifier) for p in SHORT_PROMPTS]
        batches = [short, [long_prompt(tok, max_length, classifier), short[0]]]
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
        "model": args.model + (f" (random tiny {args.tiny_random}, seed {args.seed})" if args.tiny_random else ""),
        "architectures": json.dumps(config.architectures),
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "padding": "right" if classifier else "left, position_ids = cumsum(attention_mask) - 1",
        "max_length": str(max_length),
    })
    print(f"wrote {i} prompts (longest {max(len(r) for b in batches for r in b)} tokens) to {args.out}")


if __name__ == "__main__":
    main()
