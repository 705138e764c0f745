# The PyTorch export bench/onnx-stack.mjs times: nn.LSTM(16, 32, num_layers=2) called without
# (h0, c0), exported as most PyTorch users export it (torch.onnx.export, default constant folding;
# the zero states are ConstantOfShape of Shape(x) sliced per layer, the layers joined by Squeeze).
# Run with Debian's python3-torch (1.13): python3 bench/make-onnx-stack.py
import os
import torch

torch.manual_seed(19)
net = torch.nn.LSTM(16, 32, num_layers=2).eval()
x = torch.randn(100, 8, 16)
out = os.path.join(os.path.dirname(__file__), 'fixtures', 'torch_lstm2_no_states.onnx')
torch.onnx.export(net, (x,), out, input_names=['x'], output_names=['output', 'h_n', 'c_n'], opset_version=14,
                  dynamic_axes={'x': {0: 'T', 1: 'B'}, 'output': {0: 'T', 1: 'B'}})
print('wrote', out)

# The same weights as our model JSON (PyTorch's names and gate order), for the bench's other lane.
import json
params = {k: {'shape': list(v.shape), 'data': [float(a) for a in v.detach().numpy().ravel()]} for k, v in net.state_dict().items()}
config = {'input_size': 16, 'hidden_size': 32, 'num_layers': 2, 'bidirectional': False, 'batch_first': False, 'bias': True}
with open(out.replace('.onnx', '.json'), 'w') as f:
    json.dump({'config': config, 'params': params}, f)
print('wrote', out.replace('.onnx', '.json'))
