#!/usr/bin/env python3
# The VGG-11 loss-plateau probe of docs/benchmarks.md ("The seed nets on full Fashion-MNIST"): the seed's VGG-11 at 32²
# with the fitted classifier (Linear(512, 4096)), trained in PyTorch itself on the first 12,800 Fashion-MNIST training
# images (Debian's dataset-fashion-mnist), printing the training loss every 10 steps.
# Usage: /usr/bin/python3 scripts/vgg-plateau.py INIT LR MOMENTUM STEPS   (INIT xavier|pytorch; MOMENTUM < 0: Adam)
#   d2l's recipe: xavier 0.05 0 80  (stays at ≈ 2.30);  the seed comparison's: xavier 0.0001 -1 20  (≈ 1.96 at step 20)
import sys, numpy as np, torch, torch.nn as nn, gzip, struct
torch.set_num_threads(2); torch.manual_seed(0)
def idx(p):
    op = gzip.open if p.endswith('gz') else open
    with op(p,'rb') as f:
        data=f.read()
    nd=data[3]; dims=struct.unpack('>'+'I'*nd, data[4:4+4*nd]); return np.frombuffer(data,np.uint8,offset=4+4*nd).reshape(dims)
import glob
d='/usr/share/datasets/fashion-mnist/'
X=idx(glob.glob(d+'train-images*')[0]); Y=idx(glob.glob(d+'train-labels*')[0])
X=torch.tensor(X[:12800],dtype=torch.float32).unsqueeze(1)/255.; Y=torch.tensor(Y[:12800],dtype=torch.long)
X=nn.functional.interpolate(X,size=32,mode='bilinear',align_corners=False)
X=(X-0.2860)/0.3530
def vgg(init):
    conv_arch=((1,64),(1,128),(2,256),(2,512),(2,512)); layers=[]; c=1
    for n,o in conv_arch:
        for _ in range(n): layers+= [nn.Conv2d(c,o,3,padding=1), nn.ReLU()]; c=o
        layers.append(nn.MaxPool2d(2,2))
    net=nn.Sequential(*layers, nn.Flatten(), nn.Linear(512,4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096,4096), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4096,10))
    if init=='xavier':
        for m in net.modules():
            if isinstance(m,(nn.Conv2d,nn.Linear)): nn.init.xavier_uniform_(m.weight)
    return net
init, lr, mom, steps = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
net=vgg(init); opt=torch.optim.Adam(net.parameters(), lr=lr) if mom<0 else torch.optim.SGD(net.parameters(), lr=lr, momentum=mom); lf=nn.CrossEntropyLoss()
perm=torch.randperm(12800)
for s in range(steps):
    i=perm[(s*128)%12800:(s*128)%12800+128]
    l=lf(net(X[i]),Y[i]); opt.zero_grad(); l.backward(); opt.step()
    if s%10==9: print(init,lr,mom,s+1,round(l.item(),4),flush=True)
