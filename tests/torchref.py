"""torch.optim stepping our own path: the reference the optimizer and schedule tests compare against.

torch is a test-only reference (requirements-dev.txt); the app never imports it.
"""

import numpy as np
import torch


def torch_steps_from(surface, path, cls, kwargs, make_scheduler=None):
    """torch's step from each of our points in turn, its own optimizer state (and scheduler) carried along.

    Starting every step from our point (rather than letting torch run free) checks each
    update on its own: where a path is unstable a free run amplifies 1-ulp rounding
    differences (RMSProp on Beale multiplies them by about 4 a step near step 190).
    The gradients, and so torch's state, are then exactly those of our run.
    ``make_scheduler(optimizer)`` gives a ``torch.optim.lr_scheduler``, stepped after each update.
    """
    w = torch.tensor(path[0], requires_grad=True)
    opt = cls([w], **kwargs)
    scheduler = make_scheduler(opt) if make_scheduler is not None else None
    out = []
    for point in path[:-1]:
        with torch.no_grad():
            w.copy_(torch.from_numpy(point))
        w.grad = torch.from_numpy(surface.grad(point))
        opt.step()
        if scheduler is not None:
            scheduler.step()
        out.append(w.detach().numpy().copy())
    return np.array(out)
