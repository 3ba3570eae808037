#!/usr/bin/env python3
"""Dump golden hidden states and logits of a GPT-NeoX (Pythia) model with Hugging Face transformers,
for `classifsae verify-backbone --model M --golden F`.

    pip install torch transformers safetensors
    python build/tools/dump_golden.py --model EleutherAI/pythia-70m --out golden.safetensors

For each prompt i the file holds input_ids.i [T] (int64), hidden_states.i [L+1, T, D] (float32,
output_hidden_states: index 0 = embeddings, index L = after the final LayerNorm) and logits.i [T, V].
"""
import argparse

import torch
from safetensors.torch import save_file
from transformers import AutoModelForCausalLM, AutoTokenizer

PROMPTS = [
    "Wall St. Bears Claw Back Into the Black (Reuters)\n\nOPTIONS:\n0(World)\n1(Sports)\n2(Business)\n3(SciTech) \n2",
    "A quiet film with a  remarkable cast.\n\nOPTIONS:\n0(negative)\n1(positive) \n1",
    "Hello world",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="hub id or local folder")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForCausalLM.from_pretrained(args.model, torch_dtype=torch.float32).eval()
    tensors = {}
    with torch.no_grad():
        for i, prompt in enumerate(PROMPTS):
            ids = tok(prompt, return_tensors="pt", add_special_tokens=True).input_ids
            out = model(ids, output_hidden_states=True)
            tensors[f"input_ids.{i}"] = ids[0].to(torch.int64).contiguous()
            tensors[f"hidden_states.{i}"] = torch.stack([h[0] for h in out.hidden_states]).float().contiguous()
            tensors[f"logits.{i}"] = out.logits[0].float().contiguous()
    save_file(tensors, args.out, metadata={"model": args.model, "transformers": __import__("transformers").__version__})
    print(f"wrote {len(PROMPTS)} prompts to {args.out}")


if __name__ == "__main__":
    main()
