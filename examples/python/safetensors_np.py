"""Read a .safetensors file into NumPy arrays without the `safetensors` package (the format is an 8-byte header
length, a JSON header, then raw little-endian tensors). With the package installed, `safetensors.numpy.load_file`
gives the same arrays."""
import json
import struct

import numpy as np

_DTYPES = {"F32": np.float32, "F64": np.float64, "F16": np.float16, "I64": np.int64, "I32": np.int32,
           "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def load_file(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        if info["dtype"] not in _DTYPES:
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']} (BF16 needs the safetensors package + torch)")
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(data[start:end], dtype=np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<")).reshape(info["shape"])
    return tensors
