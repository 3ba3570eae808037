#!/usr/bin/env python3
"""Known answers for ClassifSAE v2 (spec 04 §4, upstream bc50f40), for ClassifSaeV2FixtureTests
(tests/ClassifSae.Tests/Concepts):

    /usr/bin/python3 build/tools/dump_classifsae_v2_fixture.py > tests/ClassifSae.Tests/Fixtures/classifsae_v2_torch.json

Needs only torch (Debian: apt-get install python3-torch). Written from the spec's formulas, not from our C#: a tiny TopK
SAE (d_in 3, d_sae 6, k 2, 2 concepts, 2 classes) with hand-made float32 weights, a batch of 5, features 4 and 5 dead.
For both halves of training (z_class attached to the decoder, then detached from epoch E//2) it records the four loss
terms without their λ, the total L = λ_mse·(L_mse + L_ghost) + λ_AR·L_AR + λ_cls·L_cls, and the gradients of every
parameter after backward and after the decoder-gradient projection g_j ← g_j − (g_j·w_j) w_j (before clipping).
"""
import json
import math

import torch

D_IN, D_SAE, K, N_CONCEPTS, N_CLASSES = 3, 6, 2, 2, 2
LAMBDA_MSE, LAMBDA_AR, LAMBDA_CLS, TAU = 0.02, 0.02, 1.0, 0.4
DEAD = [4, 5]


def grid(rows, cols, a, b):
    """Deterministic hand-made values: a·sin(b·(i·cols + j + 1))."""
    return [[a * math.sin(b * (i * cols + j + 1)) for j in range(cols)] for i in range(rows)]


W_DEC = grid(D_SAE, D_IN, 1.0, 0.7)
W_DEC = [[v / math.sqrt(sum(u * u for u in row)) for v in row] for row in W_DEC]  # unit rows, as at every step start
W_ENC = grid(D_IN, D_SAE, 0.9, 1.3)
B_ENC = [0.05 * (j - 2) for j in range(D_SAE)]
B_DEC = [0.1, -0.2, 0.05]
CLS_W = grid(N_CLASSES, N_CONCEPTS, 0.8, 2.1)
CLS_B = [0.1, -0.1]
X = [[1.0, 2.0, -0.5], [-1.5, 0.5, 1.0], [0.3, -0.7, 2.2], [2.0, 1.0, 0.0], [-0.4, -1.2, -0.9]]
Y = [0, 1, 1, 0, 1]


def run(detach):
    f = torch.float32
    p = {
        "W_enc": torch.tensor(W_ENC, dtype=f, requires_grad=True),
        "b_enc": torch.tensor(B_ENC, dtype=f, requires_grad=True),
        "W_dec": torch.tensor(W_DEC, dtype=f, requires_grad=True),
        "b_dec": torch.tensor(B_DEC, dtype=f, requires_grad=True),
        "classifier_weight": torch.tensor(CLS_W, dtype=f, requires_grad=True),
        "classifier_bias": torch.tensor(CLS_B, dtype=f, requires_grad=True),
    }
    x = torch.tensor(X, dtype=f)
    y = torch.tensor(Y)
    b = x.shape[0]
    # Encode (no input noise in v2): c = sqrt(d)/||x||, h = (c x) W_enc + b_enc, z = ReLU(TopK_k(h)).
    c = math.sqrt(D_IN) / x.norm(dim=-1, keepdim=True)
    h = (c * x) @ p["W_enc"] + p["b_enc"]
    vals, idx = h.topk(K, dim=-1)
    z = torch.zeros_like(h).scatter(-1, idx, torch.relu(vals))
    z_class, z_ctx = z[:, :N_CONCEPTS], z[:, N_CONCEPTS:]
    z_dec = torch.cat([z_class.detach() if detach else z_class, z_ctx], dim=1)
    x_hat = (z_dec @ p["W_dec"] + p["b_dec"]) / c
    # dense_batch MSE, per element, no λ inside.
    e = (x_hat - x) ** 2 / ((x - x.mean(0, keepdim=True)).norm(dim=-1, keepdim=True) + 1e-6)
    l_mse = e.sum(-1).mean()
    # Ghost grads from the λ-free e (second encode of the same x).
    r = x - x_hat
    g_raw = torch.exp(h[:, DEAD]) @ p["W_dec"][DEAD, :]
    s = (r.detach().norm(dim=-1, keepdim=True) / (1e-6 + 2 * g_raw.detach().norm(dim=-1, keepdim=True)))
    g = s * g_raw
    target = r.detach()
    g_el = (g - target) ** 2 / ((target - target.mean(0, keepdim=True)).norm(dim=-1, keepdim=True) + 1e-6)
    rho = e.detach() / (g_el.detach() + 1e-6)
    l_ghost = (rho * g_el).mean()
    # Classifier on z_class (never detached).
    logits = z_class @ p["classifier_weight"].t() + p["classifier_bias"]
    l_cls = torch.nn.functional.cross_entropy(logits, y)
    # Activation rate: entries outside each column's top-m, m = int(B·τ).
    m = int(b * TAU)
    top = z.detach().topk(m, dim=0).indices
    outside = torch.ones_like(z).scatter(0, top, 0.0)
    l_ar = (z * outside).sum() / b
    total = LAMBDA_MSE * (l_mse + l_ghost) + LAMBDA_AR * l_ar + LAMBDA_CLS * l_cls
    total.backward()
    grads = {k: v.grad.clone() for k, v in p.items()}
    w = p["W_dec"].detach()
    projected = grads["W_dec"] - (grads["W_dec"] * w).sum(-1, keepdim=True) * w
    return {
        "mse": l_mse.item(), "ghost": l_ghost.item(), "activation_rate": l_ar.item(), "classifier": l_cls.item(),
        "total": total.item(),
        "grads": {k: v.tolist() for k, v in grads.items()},
        "W_dec_grad_projected": projected.tolist(),
    }


def main():
    out = {
        "inputs": {
            "d_in": D_IN, "d_sae": D_SAE, "k": K, "n_concepts": N_CONCEPTS, "n_classes": N_CLASSES,
            "lambda_mse": LAMBDA_MSE, "lambda_activation_rate": LAMBDA_AR, "lambda_classifier": LAMBDA_CLS, "tau": TAU,
            "dead": DEAD, "W_enc": W_ENC, "b_enc": B_ENC, "W_dec": W_DEC, "b_dec": B_DEC,
            "classifier_weight": CLS_W, "classifier_bias": CLS_B, "x": X, "y": Y,
        },
        "attached": run(False),
        "detached": run(True),
        "torch": torch.__version__,
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
