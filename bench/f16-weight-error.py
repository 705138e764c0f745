# The error that storing an LSTM's weights in float16 (WebGPU's shader-f16, weights only; the
# arithmetic stays float32) adds to its outputs, measured in float64 with NumPy, independently of
# the library: the same LSTM (PyTorch's equations, weights uniform in ±1/√H as PyTorch initialises
# them, inputs sin(0.37·i)) with float64 weights and with the weights rounded to float16.
# Prints max |Δ| over the output sequence and h_n/c_n for each shape (B, T, I, H).
#
#   python3 bench/f16-weight-error.py
import numpy as np

def lstm(x, w_ih, w_hh, b):
    T, B, _ = x.shape
    H = w_hh.shape[1]
    h = np.zeros((B, H)); c = np.zeros((B, H)); out = []
    sig = lambda v: 1 / (1 + np.exp(-v))
    for t in range(T):
        z = x[t] @ w_ih.T + h @ w_hh.T + b
        i, f, g, o = sig(z[:, :H]), sig(z[:, H:2*H]), np.tanh(z[:, 2*H:3*H]), sig(z[:, 3*H:])
        c = f * c + i * g
        h = o * np.tanh(c)
        out.append(h)
    return np.stack(out), h, c

rng = np.random.default_rng(21)
for B, T, I, H in [(1, 100, 32, 128), (16, 100, 64, 128), (4, 100, 32, 256), (1, 1000, 16, 64), (1, 100, 32, 512), (1, 50, 32, 1024)]:
    k = 1 / np.sqrt(H)
    w_ih, w_hh = rng.uniform(-k, k, (4*H, I)), rng.uniform(-k, k, (4*H, H))
    b = rng.uniform(-k, k, 4*H) + rng.uniform(-k, k, 4*H)
    x = np.sin(0.37 * np.arange(T * B * I)).reshape(T, B, I)
    full = lstm(x, w_ih, w_hh, b)
    half = lstm(x, w_ih.astype(np.float16).astype(np.float64), w_hh.astype(np.float16).astype(np.float64), b)
    print(f"(B, T, I, H) = ({B}, {T}, {I}, {H}): max |Δ| output {np.abs(full[0]-half[0]).max():.2e}, h_n {np.abs(full[1]-half[1]).max():.2e}, c_n {np.abs(full[2]-half[2]).max():.2e}")
