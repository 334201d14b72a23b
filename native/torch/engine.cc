// shapesafe's native engine: a traced shapesafe graph compiled once into libtorch calls, with autograd and
// torch::optim on the native side. JavaScript hands over the graph (ops with numeric attributes), the state dict,
// batches and labels; it reads back outputs, losses and the state dict. Plain N-API (node_api.h), no other
// dependency than libtorch.
//
// The op set and the attribute order of each op are fixed by src/runtime/torch/graphSpec.ts (one home): keep the
// two in step.
#include <node_api.h>
#include <torch/torch.h>

#include <malloc.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

struct NodeSpec {
  std::string kind;
  std::vector<int> inputs;
  std::vector<double> attrs;
  std::vector<std::string> params;  // state dict names owned by the node, in the op's parameter order
};

struct Model {
  std::vector<NodeSpec> nodes;
  int output = 0;
  torch::Device device = torch::kCPU;
  std::unordered_map<std::string, torch::Tensor> tensors;  // parameters and running statistics
  std::vector<std::string> trainable;                        // names of trained parameters, in graph order
  std::vector<size_t> lastUse;  // per node: the last node that reads its value (nodes.size() for the output)
  std::unique_ptr<torch::optim::Optimizer> optimizer;
  std::string optimizerName;
};

// ---- N-API helpers -------------------------------------------------------------------------------------------

struct JsError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

#define NAPI_OK(call)                                                   \
  do {                                                                  \
    if ((call) != napi_ok) throw JsError("N-API call failed: " #call); \
  } while (0)

napi_value Get(napi_env env, napi_value obj, const char* key) {
  napi_value v;
  NAPI_OK(napi_get_named_property(env, obj, key, &v));
  return v;
}

double Number(napi_env env, napi_value v) {
  double d;
  if (napi_get_value_double(env, v, &d) != napi_ok) throw JsError("expected a number");
  return d;
}

std::string String(napi_env env, napi_value v) {
  size_t len = 0;
  if (napi_get_value_string_utf8(env, v, nullptr, 0, &len) != napi_ok) throw JsError("expected a string");
  std::string s(len, '\0');
  NAPI_OK(napi_get_value_string_utf8(env, v, s.data(), len + 1, &len));
  return s;
}

uint32_t Length(napi_env env, napi_value arr) {
  uint32_t n;
  if (napi_get_array_length(env, arr, &n) != napi_ok) throw JsError("expected an array");
  return n;
}

napi_value At(napi_env env, napi_value arr, uint32_t i) {
  napi_value v;
  NAPI_OK(napi_get_element(env, arr, i, &v));
  return v;
}

std::vector<double> Numbers(napi_env env, napi_value arr) {
  std::vector<double> out;
  for (uint32_t i = 0, n = Length(env, arr); i < n; i++) out.push_back(Number(env, At(env, arr, i)));
  return out;
}

std::vector<std::string> Strings(napi_env env, napi_value arr) {
  std::vector<std::string> out;
  for (uint32_t i = 0, n = Length(env, arr); i < n; i++) out.push_back(String(env, At(env, arr, i)));
  return out;
}

// A typed array's bytes (Float32Array or Int32Array), checked for the expected element type.
template <typename T>
std::pair<T*, size_t> TypedArray(napi_env env, napi_value v, napi_typedarray_type want, const char* what) {
  bool is = false;
  NAPI_OK(napi_is_typedarray(env, v, &is));
  if (!is) throw JsError(std::string(what) + ": expected a typed array");
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value buffer;
  size_t offset;
  NAPI_OK(napi_get_typedarray_info(env, v, &type, &length, &data, &buffer, &offset));
  if (type != want) throw JsError(std::string(what) + ": wrong typed array type");
  return {static_cast<T*>(data), length};
}

std::vector<int64_t> Shape(napi_env env, napi_value arr) {
  std::vector<int64_t> out;
  for (double d : Numbers(env, arr)) out.push_back(static_cast<int64_t>(d));
  return out;
}

torch::Tensor FloatTensor(napi_env env, napi_value data, napi_value shape, const torch::Device& device, const char* what) {
  auto [ptr, length] = TypedArray<float>(env, data, napi_float32_array, what);
  auto dims = Shape(env, shape);
  int64_t numel = 1;
  for (auto d : dims) numel *= d;
  if (numel != static_cast<int64_t>(length)) {
    std::ostringstream msg;
    msg << what << ": " << length << " values for a tensor of " << numel;
    throw JsError(msg.str());
  }
  return torch::from_blob(ptr, dims, torch::kFloat32).clone().to(device);
}

// Class indices (an Int32Array, one per image of a batch of `batch`) as the int64 tensor cross_entropy takes.
torch::Tensor Labels(napi_env env, napi_value v, int64_t batch, const torch::Device& device) {
  auto [labels, count] = TypedArray<int32_t>(env, v, napi_int32_array, "labels");
  if (static_cast<int64_t>(count) != batch) throw JsError("labels: one per image expected");
  return torch::from_blob(labels, {batch}, torch::kInt32).to(torch::kInt64).to(device);
}

napi_value Float32ArrayOf(napi_env env, const torch::Tensor& t) {
  auto c = t.detach().to(torch::kCPU, torch::kFloat32).contiguous();
  size_t n = static_cast<size_t>(c.numel());
  void* bytes;
  napi_value buffer, array;
  NAPI_OK(napi_create_arraybuffer(env, n * sizeof(float), &bytes, &buffer));
  std::memcpy(bytes, c.data_ptr<float>(), n * sizeof(float));
  NAPI_OK(napi_create_typedarray(env, napi_float32_array, n, buffer, 0, &array));
  return array;
}

napi_value ShapeOf(napi_env env, const torch::Tensor& t) {
  napi_value arr;
  NAPI_OK(napi_create_array_with_length(env, t.dim(), &arr));
  for (int64_t i = 0; i < t.dim(); i++) {
    napi_value d;
    NAPI_OK(napi_create_double(env, static_cast<double>(t.size(i)), &d));
    NAPI_OK(napi_set_element(env, arr, static_cast<uint32_t>(i), d));
  }
  return arr;
}

napi_value NumberValue(napi_env env, double d) {
  napi_value v;
  NAPI_OK(napi_create_double(env, d, &v));
  return v;
}

std::vector<napi_value> Args(napi_env env, napi_callback_info info, size_t want) {
  std::vector<napi_value> args(want);
  size_t argc = want;
  NAPI_OK(napi_get_cb_info(env, info, &argc, args.data(), nullptr, nullptr));
  if (argc < want) throw JsError("too few arguments");
  return args;
}

Model* Unwrap(napi_env env, napi_value handle) {
  void* data = nullptr;
  if (napi_get_value_external(env, handle, &data) != napi_ok || data == nullptr) throw JsError("not a model handle");
  auto* model = static_cast<Model*>(data);
  if (model->nodes.empty()) throw JsError("the model was disposed");
  return model;
}

// Runs `body`, turning C++ and libtorch exceptions into JavaScript errors (first line of libtorch's message).
template <typename F>
napi_value Guard(napi_env env, F body) {
  try {
    return body();
  } catch (const c10::Error& e) {
    std::string msg = e.what_without_backtrace();
    napi_throw_error(env, "SHAPESAFE_TORCH", msg.substr(0, msg.find('\n')).c_str());
  } catch (const std::exception& e) {
    napi_throw_error(env, "SHAPESAFE_TORCH", e.what());
  }
  return nullptr;
}

// ---- the graph -----------------------------------------------------------------------------------------------

const torch::Tensor& Param(Model& m, const NodeSpec& node, size_t i) {
  if (i >= node.params.size()) throw JsError(node.kind + ": missing parameter " + std::to_string(i));
  auto it = m.tensors.find(node.params[i]);
  if (it == m.tensors.end()) throw JsError("no tensor named " + node.params[i]);
  return it->second;
}

int A(const NodeSpec& n, size_t i) { return static_cast<int>(n.attrs.at(i)); }

// `in` holds the node's inputs; an input that no later node reads was moved in, so an op may reuse its memory when
// nothing else holds it (use_count 1) and autograd is off (`inplace`).
torch::Tensor RunNode(Model& m, const NodeSpec& n, std::vector<torch::Tensor>& in, bool training, bool inplace) {
  const auto& k = n.kind;
  if (k == "input" || k == "identity") return in[0];
  if (k == "conv2d") {
    // attrs: kh kw sh sw top bottom left right dh dw groups bias
    torch::Tensor x = in[0];
    int top = A(n, 4), bottom = A(n, 5), left = A(n, 6), right = A(n, 7);
    std::vector<int64_t> pad{0, 0};
    if (top == bottom && left == right) {
      pad = {top, left};
    } else {
      x = torch::constant_pad_nd(x, {left, right, top, bottom});
    }
    torch::Tensor bias = A(n, 11) ? Param(m, n, 1) : torch::Tensor();
    return torch::conv2d(x, Param(m, n, 0), bias, {A(n, 2), A(n, 3)}, pad, {A(n, 8), A(n, 9)}, A(n, 10));
  }
  if (k == "maxPool2d") {
    // attrs: kh kw sh sw ph pw ceil
    return torch::max_pool2d(in[0], {A(n, 0), A(n, 1)}, {A(n, 2), A(n, 3)}, {A(n, 4), A(n, 5)}, {1, 1}, A(n, 6) != 0);
  }
  if (k == "avgPool2d") {
    // attrs: kh kw sh sw ph pw ceil countIncludePad
    return torch::avg_pool2d(in[0], {A(n, 0), A(n, 1)}, {A(n, 2), A(n, 3)}, {A(n, 4), A(n, 5)}, A(n, 6) != 0, A(n, 7) != 0);
  }
  if (k == "adaptiveAvgPool2d") return torch::adaptive_avg_pool2d(in[0], {A(n, 0), A(n, 1)});
  if (k == "flatten") return in[0].flatten(1);
  if (k == "linear") {
    torch::Tensor bias = A(n, 0) ? Param(m, n, 1) : torch::Tensor();
    return torch::linear(in[0], Param(m, n, 0), bias);
  }
  if (k == "relu") return inplace && in[0].use_count() == 1 ? torch::relu_(in[0]) : torch::relu(in[0]);
  if (k == "sigmoid") return torch::sigmoid(in[0]);
  if (k == "tanh") return torch::tanh(in[0]);
  if (k == "softmax") return torch::softmax(in[0], 1);
  if (k == "dropout") return torch::dropout(in[0], n.attrs.at(0), training);
  if (k == "batchNorm2d" || k == "batchNorm1d") {
    // attrs: eps momentum; params: weight bias running_mean running_var. Running statistics update in place.
    return torch::batch_norm(in[0], Param(m, n, 0), Param(m, n, 1), Param(m, n, 2), Param(m, n, 3), training,
                             n.attrs.at(1), n.attrs.at(0), false);
  }
  if (k == "localResponseNorm") {
    // attrs: size alpha beta k
    namespace F = torch::nn::functional;
    return F::local_response_norm(
        in[0], F::LocalResponseNormFuncOptions(A(n, 0)).alpha(n.attrs.at(1)).beta(n.attrs.at(2)).k(n.attrs.at(3)));
  }
  if (k == "concat") return in.size() == 1 ? in[0] : torch::cat(in, 1);
  if (k == "add")
    return inplace && in[0].use_count() == 1 && in[0].sizes() == in[1].sizes() ? in[0].add_(in[1]) : in[0] + in[1];
  throw JsError("unknown op " + k);
}

// Runs the graph. A value is released as soon as its last reader has run (as an eager PyTorch module's locals are),
// so the memory of one layer's activations is reused by the next instead of every activation living to the end.
// `inplace`: no autograd (inference), so a ReLU may overwrite a value nothing else reads.
torch::Tensor Forward(Model& m, const torch::Tensor& x, bool training, bool inplace = false) {
  std::vector<torch::Tensor> values(m.nodes.size());
  std::vector<torch::Tensor> in;
  for (size_t i = 0; i < m.nodes.size(); i++) {
    const auto& node = m.nodes[i];
    in.clear();
    if (node.kind == "input") {
      in.push_back(x);
    } else {
      for (int j : node.inputs) {
        auto& v = values.at(static_cast<size_t>(j));
        // The last reader takes the value; a node that reads the same value twice (add(x, x)) copies the first.
        bool last = m.lastUse[static_cast<size_t>(j)] == i &&
                    std::count(node.inputs.begin(), node.inputs.end(), j) == 1;
        in.push_back(last ? std::move(v) : v);
      }
    }
    values[i] = RunNode(m, node, in, training, inplace);
  }
  in.clear();
  return values.at(static_cast<size_t>(m.output));
}

// ---- exported functions --------------------------------------------------------------------------------------

void Finalize(napi_env, void* data, void*) { delete static_cast<Model*>(data); }

// create(nodes, output, state, trainable, device) → handle
//   nodes: [{ kind, inputs, attrs, params }], state: { name: { data: Float32Array, shape } }
napi_value Create(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 5);
    auto model = std::make_unique<Model>();
    model->device = torch::Device(String(env, args[4]));
    for (uint32_t i = 0, n = Length(env, args[0]); i < n; i++) {
      napi_value node = At(env, args[0], i);
      NodeSpec spec;
      spec.kind = String(env, Get(env, node, "kind"));
      for (double d : Numbers(env, Get(env, node, "inputs"))) spec.inputs.push_back(static_cast<int>(d));
      spec.attrs = Numbers(env, Get(env, node, "attrs"));
      spec.params = Strings(env, Get(env, node, "params"));
      for (int j : spec.inputs)
        if (j < 0 || static_cast<uint32_t>(j) >= i) throw JsError("node " + std::to_string(i) + " reads a later node");
      model->nodes.push_back(std::move(spec));
    }
    model->output = static_cast<int>(Number(env, args[1]));
    if (model->output < 0 || static_cast<size_t>(model->output) >= model->nodes.size()) throw JsError("output is not a node");
    model->lastUse.assign(model->nodes.size(), 0);
    for (size_t i = 0; i < model->nodes.size(); i++)
      for (int j : model->nodes[i].inputs) model->lastUse[static_cast<size_t>(j)] = i;
    model->lastUse[static_cast<size_t>(model->output)] = model->nodes.size();
    model->trainable = Strings(env, args[3]);
    for (const auto& node : model->nodes) {
      for (const auto& name : node.params) {
        napi_value entry = Get(env, args[2], name.c_str());
        napi_valuetype type;
        NAPI_OK(napi_typeof(env, entry, &type));
        if (type != napi_object) throw JsError("state has no tensor " + name);
        model->tensors[name] = FloatTensor(env, Get(env, entry, "data"), Get(env, entry, "shape"), model->device, name.c_str());
      }
    }
    for (const auto& name : model->trainable) {
      auto it = model->tensors.find(name);
      if (it == model->tensors.end()) throw JsError("no trainable tensor " + name);
      it->second.set_requires_grad(true);
    }
    napi_value handle;
    NAPI_OK(napi_create_external(env, model.release(), Finalize, nullptr, &handle));
    return handle;
  });
}

// setOptimizer(handle, { name, learningRate, momentum, weightDecay, beta1, beta2, epsilon })
napi_value SetOptimizer(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 2);
    Model* m = Unwrap(env, args[0]);
    std::string name = String(env, Get(env, args[1], "name"));
    double lr = Number(env, Get(env, args[1], "learningRate"));
    double wd = Number(env, Get(env, args[1], "weightDecay"));
    std::vector<torch::Tensor> params;
    for (const auto& p : m->trainable) params.push_back(m->tensors.at(p));
    if (name == "sgd") {
      m->optimizer = std::make_unique<torch::optim::SGD>(
          params, torch::optim::SGDOptions(lr).momentum(Number(env, Get(env, args[1], "momentum"))).weight_decay(wd));
    } else if (name == "adam") {
      auto options = torch::optim::AdamOptions(lr)
                         .betas({Number(env, Get(env, args[1], "beta1")), Number(env, Get(env, args[1], "beta2"))})
                         .eps(Number(env, Get(env, args[1], "epsilon")))
                         .weight_decay(wd);
      m->optimizer = std::make_unique<torch::optim::Adam>(params, options);
    } else {
      throw JsError("unknown optimizer " + name);
    }
    m->optimizerName = name;
    return nullptr;
  });
}

void SetLearningRate(Model& m, double lr) {
  for (auto& group : m.optimizer->param_groups()) {
    if (m.optimizerName == "sgd") static_cast<torch::optim::SGDOptions&>(group.options()).lr(lr);
    else static_cast<torch::optim::AdamOptions&>(group.options()).lr(lr);
  }
}

// forward(handle, data, shape, training) → { data, shape }
napi_value ForwardJs(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 4);
    Model* m = Unwrap(env, args[0]);
    bool training;
    NAPI_OK(napi_get_value_bool(env, args[3], &training));
    torch::Tensor x = FloatTensor(env, args[1], args[2], m->device, "input");
    // No autograd bookkeeping at all (no version counters, no views tracked): PyTorch's own `torch.inference_mode()`.
    c10::InferenceMode inference;
    torch::Tensor y = Forward(*m, x, training, true);
    napi_value out;
    NAPI_OK(napi_create_object(env, &out));
    NAPI_OK(napi_set_named_property(env, out, "data", Float32ArrayOf(env, y)));
    NAPI_OK(napi_set_named_property(env, out, "shape", ShapeOf(env, y)));
    return out;
  });
}

// trainStep(handle, data, shape, labels: Int32Array, learningRate) → { loss, correct }
napi_value TrainStep(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 5);
    Model* m = Unwrap(env, args[0]);
    if (!m->optimizer) throw JsError("no optimizer set");
    torch::Tensor x = FloatTensor(env, args[1], args[2], m->device, "input");
    torch::Tensor y = Labels(env, args[3], x.size(0), m->device);
    SetLearningRate(*m, Number(env, args[4]));
    // Gradients dropped rather than zeroed (PyTorch's zero_grad(set_to_none=True), its default since 2.0): backward
    // then hands each parameter its gradient as computed instead of filling a buffer with zeros and adding into it.
    for (const auto& name : m->trainable) m->tensors.at(name).mutable_grad().reset();
    torch::Tensor logits = Forward(*m, x, true);
    torch::Tensor loss = torch::nn::functional::cross_entropy(logits, y);
    loss.backward();
    m->optimizer->step();
    double correct = logits.argmax(1).eq(y).sum().item<double>();
    napi_value out;
    NAPI_OK(napi_create_object(env, &out));
    NAPI_OK(napi_set_named_property(env, out, "loss", NumberValue(env, loss.item<double>())));
    NAPI_OK(napi_set_named_property(env, out, "correct", NumberValue(env, correct)));
    return out;
  });
}

// gradients(handle, data, shape, labels) → { name: Float32Array }: the loss's gradients, nothing updated.
napi_value Gradients(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 4);
    Model* m = Unwrap(env, args[0]);
    torch::Tensor x = FloatTensor(env, args[1], args[2], m->device, "input");
    torch::Tensor y = Labels(env, args[3], x.size(0), m->device);
    std::vector<torch::Tensor> params;
    for (const auto& p : m->trainable) params.push_back(m->tensors.at(p));
    // Statistics must not move: run on copies of the running statistics.
    std::unordered_map<std::string, torch::Tensor> saved;
    for (auto& [name, t] : m->tensors)
      if (!t.requires_grad()) saved[name] = t.clone();
    torch::Tensor loss = torch::nn::functional::cross_entropy(Forward(*m, x, true), y);
    auto grads = torch::autograd::grad({loss}, params);
    for (auto& [name, t] : saved) m->tensors.at(name).copy_(t);
    napi_value out;
    NAPI_OK(napi_create_object(env, &out));
    for (size_t i = 0; i < params.size(); i++)
      NAPI_OK(napi_set_named_property(env, out, m->trainable[i].c_str(), Float32ArrayOf(env, grads[i])));
    return out;
  });
}

// The optimizer's per-parameter state key (libtorch's convention in torch/optim/*.cpp).
std::string StateKey(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

// optimizerState(handle) → { step, slots: { slot: { name: Float32Array } } }, PyTorch's slot names
// (SGD: momentum_buffer; Adam: exp_avg, exp_avg_sq). A parameter with no state yet (no step taken) is absent;
// `step` is Adam's step count (SGD keeps none: 0).
napi_value OptimizerState(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 1);
    Model* m = Unwrap(env, args[0]);
    if (!m->optimizer) throw JsError("no optimizer set");
    std::vector<std::string> slotNames =
        m->optimizerName == "sgd" ? std::vector<std::string>{"momentum_buffer"} : std::vector<std::string>{"exp_avg", "exp_avg_sq"};
    std::vector<napi_value> slots(slotNames.size());
    for (auto& s : slots) NAPI_OK(napi_create_object(env, &s));
    int64_t step = 0;
    auto& state = m->optimizer->state();
    for (const auto& name : m->trainable) {
      auto it = state.find(StateKey(m->tensors.at(name)));
      if (it == state.end()) continue;
      if (m->optimizerName == "sgd") {
        auto& s = static_cast<torch::optim::SGDParamState&>(*it->second);
        if (s.momentum_buffer().defined())
          NAPI_OK(napi_set_named_property(env, slots[0], name.c_str(), Float32ArrayOf(env, s.momentum_buffer())));
      } else {
        auto& s = static_cast<torch::optim::AdamParamState&>(*it->second);
        step = std::max(step, s.step());
        NAPI_OK(napi_set_named_property(env, slots[0], name.c_str(), Float32ArrayOf(env, s.exp_avg())));
        NAPI_OK(napi_set_named_property(env, slots[1], name.c_str(), Float32ArrayOf(env, s.exp_avg_sq())));
      }
    }
    napi_value out, bySlot;
    NAPI_OK(napi_create_object(env, &out));
    NAPI_OK(napi_create_object(env, &bySlot));
    for (size_t i = 0; i < slots.size(); i++) NAPI_OK(napi_set_named_property(env, bySlot, slotNames[i].c_str(), slots[i]));
    NAPI_OK(napi_set_named_property(env, out, "step", NumberValue(env, static_cast<double>(step))));
    NAPI_OK(napi_set_named_property(env, out, "slots", bySlot));
    return out;
  });
}

// A slot's tensor for parameter `name` from { name: { data, shape } }, or an undefined tensor when absent.
torch::Tensor SlotTensor(napi_env env, napi_value slot, const std::string& name, const torch::Tensor& like) {
  bool has = false;
  NAPI_OK(napi_has_named_property(env, slot, name.c_str(), &has));
  if (!has) return {};
  napi_value entry = Get(env, slot, name.c_str());
  torch::Tensor t = FloatTensor(env, Get(env, entry, "data"), Get(env, entry, "shape"), like.device(), name.c_str());
  if (!t.sizes().equals(like.sizes())) throw JsError(name + ": optimizer state of another shape than the parameter");
  return t;
}

// setOptimizerState(handle, step, slots): replaces the optimizer's state (the form optimizerState returns, every
// trainable parameter in each slot; Adam's state is left empty when step is 0, as before its first step).
napi_value SetOptimizerState(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 3);
    Model* m = Unwrap(env, args[0]);
    if (!m->optimizer) throw JsError("no optimizer set");
    auto step = static_cast<int64_t>(Number(env, args[1]));
    auto& state = m->optimizer->state();
    state.clear();
    auto slot = [&](const char* key) {
      bool has = false;
      NAPI_OK(napi_has_named_property(env, args[2], key, &has));
      if (!has) throw JsError(std::string("optimizer state has no slot ") + key);
      return Get(env, args[2], key);
    };
    for (const auto& name : m->trainable) {
      const torch::Tensor& p = m->tensors.at(name);
      if (m->optimizerName == "sgd") {
        torch::Tensor buffer = SlotTensor(env, slot("momentum_buffer"), name, p);
        if (!buffer.defined()) continue;
        auto s = std::make_unique<torch::optim::SGDParamState>();
        s->momentum_buffer(buffer);
        state[StateKey(p)] = std::move(s);
      } else {
        if (step == 0) continue;
        torch::Tensor avg = SlotTensor(env, slot("exp_avg"), name, p), sq = SlotTensor(env, slot("exp_avg_sq"), name, p);
        if (!avg.defined() || !sq.defined()) throw JsError("optimizer state has no exp_avg/exp_avg_sq for " + name);
        auto s = std::make_unique<torch::optim::AdamParamState>();
        s->step(step);
        s->exp_avg(avg);
        s->exp_avg_sq(sq);
        state[StateKey(p)] = std::move(s);
      }
    }
    return nullptr;
  });
}

// load(handle, state): copies every tensor of the state dict ({ name: { data, shape } }) into the model's.
napi_value Load(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 2);
    Model* m = Unwrap(env, args[0]);
    std::unordered_map<std::string, torch::Tensor> next;
    for (auto& [name, t] : m->tensors) {
      bool has = false;
      NAPI_OK(napi_has_named_property(env, args[1], name.c_str(), &has));
      if (!has) throw JsError("state has no tensor " + name);
      napi_value entry = Get(env, args[1], name.c_str());
      torch::Tensor v = FloatTensor(env, Get(env, entry, "data"), Get(env, entry, "shape"), m->device, name.c_str());
      if (!v.sizes().equals(t.sizes())) throw JsError(name + ": another shape than the model's");
      next[name] = v;
    }
    torch::NoGradGuard noGrad;
    for (auto& [name, t] : m->tensors) t.copy_(next.at(name));
    return nullptr;
  });
}

// state(handle) → { name: Float32Array } (PyTorch layout, as stored)
napi_value State(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 1);
    Model* m = Unwrap(env, args[0]);
    napi_value out;
    NAPI_OK(napi_create_object(env, &out));
    for (const auto& node : m->nodes)
      for (const auto& name : node.params)
        NAPI_OK(napi_set_named_property(env, out, name.c_str(), Float32ArrayOf(env, m->tensors.at(name))));
    return out;
  });
}

// dispose(handle): frees the tensors now rather than at garbage collection.
napi_value Dispose(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 1);
    Model* m = Unwrap(env, args[0]);
    m->optimizer.reset();
    m->tensors.clear();
    m->nodes.clear();
    return nullptr;
  });
}

// setThreads(n) → the thread count libtorch now uses
napi_value SetThreads(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 1);
    int n = static_cast<int>(Number(env, args[0]));
    if (n >= 1) at::set_num_threads(n);
    return NumberValue(env, at::get_num_threads());
  });
}

// manualSeed(n): seeds libtorch's generator (dropout masks), so a native run repeats.
napi_value ManualSeed(napi_env env, napi_callback_info info) {
  return Guard(env, [&]() -> napi_value {
    auto args = Args(env, info, 1);
    torch::manual_seed(static_cast<uint64_t>(Number(env, args[0])));
    return nullptr;
  });
}

// The glibc mmap and trim thresholds Init set (0 when it left glibc's defaults), reported by info().
static int g_mmap_threshold = 0;
static int g_trim_threshold = 0;

// info() → { version, cuda, cudaDevices, threads, mallocMmapThreshold, mallocTrimThreshold }
napi_value Info(napi_env env, napi_callback_info) {
  return Guard(env, [&]() -> napi_value {
    napi_value out, version, cuda;
    NAPI_OK(napi_create_object(env, &out));
    NAPI_OK(napi_create_string_utf8(env, TORCH_VERSION, NAPI_AUTO_LENGTH, &version));
    NAPI_OK(napi_get_boolean(env, torch::cuda::is_available(), &cuda));
    NAPI_OK(napi_set_named_property(env, out, "version", version));
    NAPI_OK(napi_set_named_property(env, out, "cuda", cuda));
    NAPI_OK(napi_set_named_property(env, out, "cudaDevices", NumberValue(env, static_cast<double>(torch::cuda::device_count()))));
    NAPI_OK(napi_set_named_property(env, out, "threads", NumberValue(env, at::get_num_threads())));
    NAPI_OK(napi_set_named_property(env, out, "mallocMmapThreshold", NumberValue(env, g_mmap_threshold)));
    NAPI_OK(napi_set_named_property(env, out, "mallocTrimThreshold", NumberValue(env, g_trim_threshold)));
    return out;
  });
}

napi_value Init(napi_env env, napi_value exports) {
#ifdef M_TRIM_THRESHOLD
  // glibc hands freed memory at the top of the heap back to the system once more than the trim threshold (by default
  // twice the largest block it saw mmapped, at most 64 MiB) is free; a forward pass frees its activations and the
  // next one page-faults all of them in again (a quarter of the CPU time of a ResNet-18 forward went to the kernel).
  // Keep up to 1 GiB for reuse, as PyTorch users get from jemalloc/tcmalloc; SHAPESAFE_TORCH_MALLOC=default leaves
  // glibc's setting alone.
  const char* policy = std::getenv("SHAPESAFE_TORCH_MALLOC");
  if (policy == nullptr || std::string(policy) != "default") {
    g_mmap_threshold = 256 << 20;
    g_trim_threshold = 1 << 30;
    mallopt(M_MMAP_THRESHOLD, g_mmap_threshold);
    mallopt(M_TRIM_THRESHOLD, g_trim_threshold);
  }
#endif
  napi_property_descriptor props[] = {
      {"create", nullptr, Create, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setOptimizer", nullptr, SetOptimizer, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"forward", nullptr, ForwardJs, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"trainStep", nullptr, TrainStep, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"gradients", nullptr, Gradients, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"optimizerState", nullptr, OptimizerState, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setOptimizerState", nullptr, SetOptimizerState, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"load", nullptr, Load, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"state", nullptr, State, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"dispose", nullptr, Dispose, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"setThreads", nullptr, SetThreads, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"manualSeed", nullptr, ManualSeed, nullptr, nullptr, nullptr, napi_default, nullptr},
      {"info", nullptr, Info, nullptr, nullptr, nullptr, napi_default, nullptr},
  };
  napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props);
  return exports;
}

}  // namespace

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
