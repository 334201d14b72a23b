{
  "variables": {
    "torch_include%": "/usr/include",
    "torch_lib%": "/usr/lib/x86_64-linux-gnu",
    "torch_cxx11_abi%": "1",
    "torch_cuda%": "0"
  },
  "targets": [
    {
      "target_name": "shapesafe_torch",
      "sources": ["engine.cc"],
      "include_dirs": ["<(torch_include)", "<(torch_include)/torch/csrc/api/include"],
      "defines": ["_GLIBCXX_USE_CXX11_ABI=<(torch_cxx11_abi)"],
      "libraries": ["-L<(torch_lib)", "-Wl,-rpath,<(torch_lib)", "-Wl,--no-as-needed", "-ltorch", "-ltorch_cpu", "-lc10"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++14", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter"],
      "conditions": [["torch_cuda==1", {"libraries": ["-ltorch_cuda", "-lc10_cuda"]}]]
    }
  ]
}
