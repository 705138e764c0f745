"""PyTorch's own training step for the bench: the same model, data and Adam step as every other
row (bench/page/train-settings.js), timed by the Node side around each request.

Reads the workload from a folder the Node side writes (meta.json and float32 .bin files), then
answers one JSON line per request on stdin: {"cmd": "step"} -> {"loss": <loss before the update>}.
Exits at end of input.
"""
import json
import sys

import numpy as np
import torch


def load(folder):
    with open(f"{folder}/meta.json") as f:
        meta = json.load(f)
    def array(name, shape):
        return torch.from_numpy(np.fromfile(f"{folder}/{name}.bin", dtype=np.float32).reshape(shape).copy())
    return meta, array


def main():
    folder, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    meta, array = load(folder)
    B, T, I, H = meta["batch"], meta["steps"], meta["input_size"], meta["hidden_size"]
    lstm = torch.nn.LSTM(I, H)
    head = torch.nn.Linear(H, 1)
    with torch.no_grad():
        for name, shape in meta["params"].items():
            target = head if name.startswith("head.0.") else lstm
            getattr(target, name.replace("head.0.", "")).copy_(array(name, shape))
        # One bias per gate, as Keras and TensorFlow.js train: b_hh folded into b_ih and frozen.
        lstm.bias_ih_l0 += lstm.bias_hh_l0
        lstm.bias_hh_l0.zero_()
    lstm.bias_hh_l0.requires_grad_(False)
    x = array("x", [T, B, I])
    y = array("y", [B, 1])
    trained = [p for p in list(lstm.parameters()) + list(head.parameters()) if p.requires_grad]
    adam = meta["adam"]
    optimizer = torch.optim.Adam(trained, lr=adam["lr"], betas=(adam["beta1"], adam["beta2"]), eps=adam["epsilon"])
    loss_fn = torch.nn.MSELoss()
    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if json.loads(line)["cmd"] != "step":
            raise ValueError(f"unknown request {line!r}")
        optimizer.zero_grad()
        out, _ = lstm(x)
        loss = loss_fn(head(out[-1]), y)
        loss.backward()
        optimizer.step()
        print(json.dumps({"loss": loss.item()}), flush=True)


if __name__ == "__main__":
    main()
