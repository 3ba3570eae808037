#!/usr/bin/env python3
"""Dump reference sentence embeddings of all-MiniLM-L6-v2 (or another sentence-transformers BERT folder)
with sentence-transformers, to check ClassifSae's MiniLmEncoder (src/ClassifSae.Core/SentenceEncoders/MiniLm).

    pip install sentence-transformers safetensors
    python build/tools/dump_sentence_embeddings.py --model sentence-transformers/all-MiniLM-L6-v2 --out st.safetensors

The file holds, for each sentence i: input_ids.i [T] (int64, [CLS] ... [SEP], truncated to max_seq_length) and
embedding.i [D] (float32, unit norm); its metadata holds the sentences as JSON ("sentences").

How to check parity: load the same local folder (e.g. the hub-cache snapshot
~/.cache/huggingface/hub/models--sentence-transformers--all-MiniLM-L6-v2/snapshots/<commit>) with
MiniLmEncoder.Load(folder), then for every i compare Tokenizer.Encode(sentence i) with input_ids.i (must be
equal) and Encode([sentence i])[0] with embedding.i: the max absolute difference should stay below ~1e-5
(fp32 on both sides; differences of 1e-3 or more mean a real mismatch, e.g. tokenisation or pooling).

End-to-end anchor (spec): the mean pairwise cosine similarity of the AG News test-set sentence embeddings
with this encoder is 0.05430; a dataset-level run reproducing it checks the whole path at scale.
"""
import argparse
import json

import torch
from safetensors.torch import save_file
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "Wall St. Bears Claw Back Into the Black (Reuters) Reuters - Short-sellers, Wall Street's dwindling\\band of ultra-cynics, are seeing green again.",
    "Café owners in São Paulo raise prices by $5.50 — a 12% jump!",
    "hello\nworld\twith   odd   spacing and a zero\u200bwidth space",
    "中文 mixed with English, [SEP] inside the text, and under_scores.",
    "",
    " ".join(["A very long sentence that will be truncated at max_seq_length word pieces."] * 40),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, help="hub id or local folder")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    model = SentenceTransformer(args.model, device="cpu")
    embeddings = model.encode(SENTENCES, batch_size=32, convert_to_tensor=True, normalize_embeddings=False)
    tensors = {}
    for i, sentence in enumerate(SENTENCES):
        features = model.tokenize([sentence])
        tensors[f"input_ids.{i}"] = features["input_ids"][0].to(torch.int64).contiguous()
        tensors[f"embedding.{i}"] = embeddings[i].float().cpu().contiguous()
    metadata = {
        "model": args.model,
        "max_seq_length": str(model.max_seq_length),
        "sentence_transformers": __import__("sentence_transformers").__version__,
        "sentences": json.dumps(SENTENCES, ensure_ascii=False),
    }
    save_file(tensors, args.out, metadata=metadata)
    print(f"wrote {len(SENTENCES)} sentences to {args.out}")


if __name__ == "__main__":
    main()
