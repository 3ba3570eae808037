#!/usr/bin/env python3
"""Known-answer fixtures for upstream's (bc50f40) HI-Concept and ConceptSHAP v2 losses (spec 04 §5.1, §5.2), computed
with PyTorch from the spec's formulas on tiny inputs.

Run with the system python that has torch 1.13:
    /usr/bin/python3 build/tools/make_concept_loss_fixtures.py tests/ClassifSae.Tests/Fixtures/concept_losses_torch.json
Inputs (X, labels, C, R1, R2, the linear "tail" W, b, the flip keep mask) are generated from a fixed seed and written
out in full (fp32), so the C# side recomputes everything from the same numbers.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

torch.manual_seed(int(os.environ.get("FIXTURE_SEED", "6")))
B, D, N, H, C = 8, 5, 4, 6, 3

x = torch.randn(B, D) * 2.0
x[0] = -x[0]                                   # varied signs so some concepts pass HI-Concept's mask with a negative cosine
y = torch.tensor([0, 1, 2, 0, 1, 2, 1, 0])
concept = torch.rand(D, N) - 0.5
r1w = torch.rand(N, H) - 0.5
r2w = torch.rand(H, D) - 0.5
w = torch.randn(C, D)
b = torch.randn(C) * 0.1
keep = torch.cat([torch.rand(B, N - 1) > 0.2, torch.ones(B, 1, dtype=torch.bool)], 1)


def tail(h):
    return h @ w.t() + b


def decode(a):
    return F.relu(a @ r1w) @ r2w


def top_quarter(m):
    k = m.shape[0] // 4
    return -torch.stack([m[:, j].topk(k).values.mean() for j in range(m.shape[1])]).mean()


def signed_decorrelation(unit):
    return (unit.t() @ unit - torch.eye(unit.shape[1])).mean()


def hiconcept(c):
    unit = F.normalize(c, dim=0)
    s = x @ unit
    p = F.softmax(F.normalize(x, dim=1) @ unit, dim=1)
    t = s * (p > 1.0 / N).float()
    a = t / (t.sum(1, keepdim=True) + 1e-3)
    xhat = decode(a)
    logits = tail(xhat)
    t_far = s * keep.float()
    a_far = t_far / (t_far.sum(1, keepdim=True) + 1e-3)
    logits_far = tail(decode(a_far))
    ae = ((xhat - F.normalize(x, dim=1)) ** 2).mean()
    pred = F.cross_entropy(logits, y)
    flip = -(F.softmax(logits, 1) - F.softmax(logits_far, 1)).abs().sum(1).mean()
    r1 = top_quarter(p)
    r2 = signed_decorrelation(unit)
    total = 1.0 * ae + 1.0 * pred + 1.0 * flip + 0.1 * r1 + 0.5 * r2
    return dict(activations=a, probabilities=p, xhat=xhat, reconstruction=ae, prediction=pred, flip=flip, r1=r1, r2=r2, total=total)


def conceptshap_v2(c, theta):
    unit = F.normalize(c, dim=0)
    s = x @ unit
    cos = F.normalize(x, dim=1) @ unit
    t = s * (cos > theta).float()
    a = t / (t.sum(1, keepdim=True) + 1e-3)
    xhat = decode(a)
    pred = F.cross_entropy(tail(xhat), y)
    r1 = top_quarter(cos)
    r2 = signed_decorrelation(unit)
    total = pred + 0.1 * r1 + 0.5 * r2
    return dict(activations=a, xhat=xhat, prediction=pred, r1=r1, r2=r2, total=total)


def dump(results, c):
    out = {}
    for k, v in results.items():
        out[k] = v.tolist() if v.dim() > 0 else float(v)
    results["total"].backward()
    out["grad_concept"] = c.grad.tolist()
    return out


def fresh():
    return concept.clone().requires_grad_(True)


c1 = fresh()
hi = dump(hiconcept(c1), c1)
c2 = fresh()
cs = dump(conceptshap_v2(c2, 0.1), c2)
payload = {
    "made_by": "build/tools/make_concept_loss_fixtures.py",
    "versions": {"torch": torch.__version__},
    "settings": "HI-Concept: L = ae + pred + flip + 0.1 R1 + 0.5 R2, mask p > 1/n; ConceptSHAP v2: theta = 0.1, L = pred + 0.1 R1 + 0.5 R2; "
                "tail(h) = h W^T + b",
    "x": x.tolist(), "y": y.tolist(), "concept": concept.tolist(), "rec_vector_1": r1w.tolist(), "rec_vector_2": r2w.tolist(),
    "w": w.tolist(), "b": b.tolist(), "keep": keep.int().tolist(),
    "hiconcept": hi, "conceptshap_v2": cs,
}
path = sys.argv[1] if len(sys.argv) > 1 else "tests/ClassifSae.Tests/Fixtures/concept_losses_torch.json"
with open(path + ".tmp", "w") as f:
    json.dump(payload, f, indent=None, separators=(",", ":"))
os.replace(path + ".tmp", path)
neg = int((torch.tensor(hi["activations"]) < 0).sum())
print(f"{path}: {os.path.getsize(path)} bytes; negative HI-Concept activations: {neg}; "
      f"conceptshap zero rows: {int((torch.tensor(cs['activations']).abs().sum(1) == 0).sum())}")
