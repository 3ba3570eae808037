#!/usr/bin/env python3
"""Dump golden hidden states and logits of a Hugging Face model with transformers, for
`classifsae verify-backbone --model FOLDER --golden FILE [--tolerance X]` (exit 0 within tolerance, 3 on a mismatch,
1 on bad input).

    pip install torch transformers safetensors
    python build/tools/dump_golden.py --model EleutherAI/pythia-70m --out golden.safetensors
    python build/tools/dump_golden.py --model ./my-bert-classifier --out golden.safetensors --max-length 256
    python build/tools/dump_golden.py --tiny-random llama --save-model tiny-llama --out tiny-llama.safetensors
    classifsae verify-backbone --model tiny-llama --golden tiny-llama.safetensors --tolerance 1e-4

--tiny-random FAMILY (llama, mistral, qwen2, gptj; transformers >= 4.43 for llama3 rope scaling) builds a tiny random
checkpoint of that family with transformers, every weight drawn N(0, 0.3) (norm gains 1 + N(0, 0.3)) so differences
show, saves it to --save-model (config.json + model.safetensors) and dumps it on fixed token ids (no tokenizer): llama
with GQA (4 query heads on 2 k/v heads) and llama3 rope scaling whose frequencies fall in all three regimes, mistral
with one k/v head and sliding_window 3 (shorter than the 12-token rows), qwen2 with q/k/v biases and tied embeddings,
gptj with rotary_dim 6 of 16 and a random lm_head bias.

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


def tiny_config(family: str):
    common = dict(vocab_size=48, bos_token_id=1, eos_token_id=2, max_position_embeddings=128)
    if family == "llama":
        return transformers.LlamaConfig(hidden_size=64, intermediate_size=80, num_hidden_layers=2, num_attention_heads=4,
                                        num_key_value_heads=2, rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                                        rope_scaling={"rope_type": "llama3", "factor": 8.0, "low_freq_factor": 1.0,
                                                      "high_freq_factor": 4.0, "original_max_position_embeddings": 64}, **common)
    if family == "mistral":
        return transformers.MistralConfig(hidden_size=32, intermediate_size=48, num_hidden_layers=2, num_attention_heads=4,
                                          num_key_value_heads=1, rms_norm_eps=1e-5, rope_theta=10000.0, sliding_window=3,
                                          tie_word_embeddings=False, **common)
    if family == "qwen2":
        return transformers.Qwen2Config(hidden_size=32, intermediate_size=40, num_hidden_layers=2, num_attention_heads=4,
                                        num_key_value_heads=2, rms_norm_eps=1e-6, rope_theta=1000000.0, tie_word_embeddings=True,
                                        use_sliding_window=False, **common)
    if family == "gptj":
        return transformers.GPTJConfig(vocab_size=48, n_embd=32, n_layer=2, n_head=2, n_inner=40, rotary_dim=6, n_positions=128,
                                       tie_word_embeddings=False, bos_token_id=1, eos_token_id=2)
    raise SystemExit(f"--tiny-random: unknown family '{family}' (expected llama, mistral, qwen2 or gptj)")


def tiny_random_model(family: str, folder: str):
    torch.manual_seed(0)
    config = tiny_config(family)
    try:
        model = AutoModelForCausalLM.from_config(config, attn_implementation="eager")
    except TypeError:
        model = AutoModelForCausalLM.from_config(config)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p.normal_(0.0, 0.3)
            if name.endswith("norm.weight") or (".ln_" in name and name.endswith(".weight")) or name.endswith("ln_f.weight"):
                p.add_(1.0)
    model.save_pretrained(folder, safe_serialization=True)
    return model.eval().float(), config


# Fixed token ids of the tiny random models: 12, 7 and 3 tokens, left-padded with 0 into one batch.
TINY_ROWS = [[1, 17, 4, 9, 22, 8, 40, 30, 11, 3, 25, 6], [1, 5, 33, 2, 7, 44, 19], [1, 6, 28]]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", help="hub id or local folder")
    parser.add_argument("--tiny-random", choices=["llama", "mistral", "qwen2", "gptj"], help="build a tiny random model of this family instead")
    parser.add_argument("--save-model", help="with --tiny-random: the folder to save that model to")
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-length", type=int, default=None, help="longest prompt (default: the model's maximum length)")
    args = parser.parse_args()
    if args.tiny_random:
        if not args.save_model:
            raise SystemExit("--tiny-random needs --save-model FOLDER (where verify-backbone will read the model)")
        model, config = tiny_random_model(args.tiny_random, args.save_model)
        dump(model, config, [TINY_ROWS], pad_id=0, classifier=False, out=args.out, source=f"tiny random {args.tiny_random}", max_length=128)
        return
    if not args.model:
        raise SystemExit("give --model (or --tiny-random FAMILY --save-model FOLDER)")

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
    dump(model, config, batches, pad_id, classifier, args.out, args.model, max_length)


def dump(model, config, batches, pad_id: int, classifier: bool, out: str, source: str, max_length: int) -> None:
    tensors, i = {}, 0
    with torch.no_grad():
        for rows in batches:
            ids, mask = pad_batch(rows, pad_id, left=not classifier)
            kwargs = dict(input_ids=ids, attention_mask=mask, output_hidden_states=True)
            if not classifier:
                kwargs["position_ids"] = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
            result = model(**kwargs)
            states = torch.stack(result.hidden_states)  # [L+1, B, T, D]
            for b in range(len(rows)):
                tensors[f"input_ids.{i}"] = ids[b].contiguous()
                tensors[f"attention_mask.{i}"] = mask[b].contiguous()
                tensors[f"hidden_states.{i}"] = states[:, b].float().contiguous()
                tensors[f"logits.{i}"] = result.logits[b].float().contiguous()
                i += 1
    save_file(tensors, out, metadata={
        "model": source,
        "architectures": json.dumps(config.architectures),
        "transformers": transformers.__version__,
        "torch": torch.__version__,
        "padding": "right" if classifier else "left, position_ids = cumsum(attention_mask) - 1",
        "max_length": str(max_length),
    })
    print(f"wrote {i} prompts (longest {max(len(r) for b in batches for r in b)} tokens) to {out}")


if __name__ == "__main__":
    main()
