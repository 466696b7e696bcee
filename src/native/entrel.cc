// entrel_native: a thin, generic libtorch tensor binding for Node (N-API via node-addon-api).
// No model code lives here. Every entry point converts c10::Error / std::exception into a JS Error
// whose message names the operation and the shapes/dtypes of its tensor inputs.
#ifndef NAPI_EXPERIMENTAL
#define NAPI_EXPERIMENTAL  // synchronous (basic) GC finalizers: see Handle
#endif
#include <napi.h>

#include <ATen/ATen.h>
#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <c10/core/GradMode.h>
#include <c10/core/InferenceMode.h>

#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

namespace {

// ----------------------------------------------------------------------------------------- handle
// Live handles of this thread's JS context (worker threads each have their own: a handle is created,
// disposed and finalized on its context's thread, so the count needs no lock and counts one context).
thread_local int64_t g_live = 0;

// One native tensor handle. JS sees a plain object wrapped (napi_wrap) around it; the TypeScript
// Tensor class holds that object. The finalizer is a *basic* (GC-time, synchronous) finalizer, so
// handles are freed during garbage collection even while a synchronous JS loop never yields.
// `bytes` is what this handle reported to V8 as external memory: 0 until `track` (see Track).
struct Handle {
  at::Tensor t;
  int64_t bytes = 0;
};

inline void adjustMemory(node_api_basic_env env, int64_t delta) {
  if (delta != 0) {
    int64_t dummy;
    napi_adjust_external_memory(env, delta, &dummy);
  }
}

// Frees the tensor of a handle (dispose or finalize).
inline void releaseHandle(node_api_basic_env env, Handle* h) {
  if (h->t.defined()) {
    h->t = at::Tensor();
    --g_live;
    adjustMemory(env, -h->bytes);
    h->bytes = 0;
  }
}

void finalizeHandle(node_api_basic_env env, void* data, void* /*hint*/) {
  Handle* h = static_cast<Handle*>(data);
  releaseHandle(env, h);
  delete h;
}

inline Handle* unwrapHandle(napi_env env, napi_value v) {
  void* p = nullptr;
  if (napi_unwrap(env, v, &p) != napi_ok || p == nullptr) return nullptr;
  return static_cast<Handle*>(p);
}

Napi::Value wrapT(Napi::Env env, at::Tensor&& t) {
  napi_value obj;
  if (napi_create_object(env, &obj) != napi_ok) throw Napi::Error::New(env, "cannot create tensor handle");
  Handle* h = new Handle();
  h->t = std::move(t);
  if (napi_wrap(env, obj, h, finalizeHandle, nullptr, nullptr) != napi_ok) {
    delete h;
    throw Napi::Error::New(env, "cannot wrap tensor handle");
  }
  if (h->t.defined()) ++g_live;
  return Napi::Value(env, obj);
}
Napi::Value wrapT(Napi::Env env, const at::Tensor& t) {
  at::Tensor copy = t;
  return wrapT(env, std::move(copy));
}

// ------------------------------------------------------------------------------------ errors
const char* dtypeName(at::ScalarType s) {
  switch (s) {
    case at::kFloat: return "float32";
    case at::kDouble: return "float64";
    case at::kLong: return "int64";
    case at::kBool: return "bool";
    case at::kInt: return "int32";
    case at::kByte: return "uint8";
    case at::kHalf: return "float16";
    default: return c10::toString(s);
  }
}

std::string shapeStr(const at::Tensor& t) {
  if (!t.defined()) return "(disposed)";
  std::string s = "[";
  auto sz = t.sizes();
  for (size_t i = 0; i < sz.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(sz[i]);
  }
  return s + "]";
}

struct Ctx {
  const char* op;
  Napi::Env env;
  const at::Tensor* ins[8];  // inputs, for error messages (the JS arguments keep them alive)
  int nin = 0;
  std::vector<at::Tensor> list;  // tensor-list argument (owned: it must outlive stack unwinding)
  Ctx(const char* o, Napi::Env e) : op(o), env(e) {}

  at::Tensor& arg(const Napi::Value& v) { return arg(static_cast<napi_value>(v)); }
  at::Tensor& arg(napi_value v) {
    Handle* h = unwrapHandle(env, v);
    if (!h) throw Napi::TypeError::New(env, std::string(op) + ": expected a Tensor argument");
    if (!h->t.defined())
      throw Napi::Error::New(env, std::string(op) + ": tensor has been disposed (used after dispose() or after its tidy() scope ended)");
    if (nin < 8) ins[nin++] = &h->t;
    return h->t;
  }
  // optional tensor: null/undefined → undefined tensor
  at::Tensor opt(const Napi::Value& v) {
    if (v.IsNull() || v.IsUndefined()) return at::Tensor();
    return arg(v);
  }
  // Reads an array of tensors into `list` (kept for error messages) and returns it.
  const std::vector<at::Tensor>& tensorList(const Napi::Value& v) {
    if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(op) + ": expected an array of tensors");
    Napi::Array a = v.As<Napi::Array>();
    std::vector<at::Tensor>& out = list;
    out.clear();
    uint32_t n = a.Length();
    out.reserve(n);
    for (uint32_t i = 0; i < n; ++i) {
      Handle* h = unwrapHandle(env, a.Get(i));
      if (!h) throw Napi::TypeError::New(env, std::string(op) + ": element " + std::to_string(i) + " is not a Tensor");
      if (!h->t.defined())
        throw Napi::Error::New(env, std::string(op) + ": tensor " + std::to_string(i) + " has been disposed");
      out.push_back(h->t);
    }
    return out;
  }

  std::string describe(const std::string& msg) const {
    std::string m = msg;
    // keep the message on one line and reasonably short
    for (auto& c : m)
      if (c == '\n' || c == '\r') c = ' ';
    while (!m.empty() && m.back() == ' ') m.pop_back();
    if (m.size() > 600) m = m.substr(0, 600) + "…";
    std::vector<const at::Tensor*> all;
    for (int i = 0; i < nin; ++i) all.push_back(ins[i]);
    for (auto& t : list) all.push_back(&t);
    std::string s = std::string(op) + ": " + m;
    if (!all.empty()) {
      std::string shapes, dtypes;
      for (size_t i = 0; i < all.size(); ++i) {
        const char* sep = i == 0 ? "" : (i + 1 == all.size() ? " and " : ", ");
        shapes += sep + shapeStr(*all[i]);
        dtypes += sep + std::string(all[i]->defined() ? dtypeName(all[i]->scalar_type()) : "?");
      }
      s += std::string(" (") + (all.size() == 1 ? "shape " : "shapes ") + shapes + "; " +
           (all.size() == 1 ? "dtype " : "dtypes ") + dtypes + ")";
    }
    return s;
  }
};

template <typename F>
Napi::Value guard(const Napi::CallbackInfo& info, const char* op, F&& f) {
  Ctx ctx(op, info.Env());
  try {
    return f(ctx);
  } catch (const Napi::Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw Napi::Error::New(info.Env(), ctx.describe(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), ctx.describe(e.what()));
  } catch (...) {
    throw Napi::Error::New(info.Env(), ctx.describe("unknown native error"));
  }
}

// --------------------------------------------------------------------------------- arg helpers
inline double num(const Napi::Value& v) { return v.As<Napi::Number>().DoubleValue(); }
inline int64_t i64(const Napi::Value& v) { return v.As<Napi::Number>().Int64Value(); }
inline bool flag(const Napi::Value& v) { return v.ToBoolean().Value(); }

std::vector<int64_t> ints(Ctx& c, const Napi::Value& v) {
  if (!v.IsArray()) throw Napi::TypeError::New(c.env, std::string(c.op) + ": expected an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  uint32_t n = a.Length();
  std::vector<int64_t> out(n);
  for (uint32_t i = 0; i < n; ++i) {
    Napi::Value x = a.Get(i);
    if (!x.IsNumber()) throw Napi::TypeError::New(c.env, std::string(c.op) + ": expected an array of integers");
    double d = x.As<Napi::Number>().DoubleValue();
    if (d != std::floor(d)) throw Napi::TypeError::New(c.env, std::string(c.op) + ": non-integer size " + std::to_string(d));
    out[i] = static_cast<int64_t>(d);
  }
  return out;
}

at::ScalarType dtypeOf(Ctx& c, int64_t code) {
  switch (code) {
    case 0: return at::kFloat;
    case 1: return at::kDouble;
    case 2: return at::kLong;
    case 3: return at::kBool;
    case 4: return at::kInt;
    default: throw Napi::TypeError::New(c.env, std::string(c.op) + ": unknown dtype code " + std::to_string(code));
  }
}
int dtypeCode(at::ScalarType s) {
  switch (s) {
    case at::kFloat: return 0;
    case at::kDouble: return 1;
    case at::kLong: return 2;
    case at::kBool: return 3;
    case at::kInt: return 4;
    case at::kByte: return 5;
    default: return 6;
  }
}

// A JS number as a scalar: integral values stay integral for integer/bool tensors.
inline at::Scalar S(const at::Tensor& t, double v) {
  if (!at::isFloatingType(t.scalar_type()) && std::floor(v) == v && std::fabs(v) < 9.0e15)
    return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}

#define FN(name) Napi::Value name(const Napi::CallbackInfo& info)

// ------------------------------------------------------------------------------- introspection
FN(Shape) {
  return guard(info, "shape", [&](Ctx& c) -> Napi::Value {
    auto& t = c.arg(info[0]);
    auto sz = t.sizes();
    Napi::Array a = Napi::Array::New(info.Env(), sz.size());
    for (size_t i = 0; i < sz.size(); ++i) a.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), static_cast<double>(sz[i])));
    return a;
  });
}
FN(Dtype) {
  return guard(info, "dtype", [&](Ctx& c) -> Napi::Value { return Napi::Number::New(info.Env(), dtypeCode(c.arg(info[0]).scalar_type())); });
}
FN(Numel) {
  return guard(info, "numel", [&](Ctx& c) -> Napi::Value { return Napi::Number::New(info.Env(), static_cast<double>(c.arg(info[0]).numel())); });
}
FN(IsDisposed) {
  Handle* h = unwrapHandle(info.Env(), info[0]);
  if (!h) throw Napi::TypeError::New(info.Env(), "isDisposed: expected a Tensor");
  return Napi::Boolean::New(info.Env(), !h->t.defined());
}
FN(Dispose) {
  Handle* h = unwrapHandle(info.Env(), info[0]);
  if (!h) throw Napi::TypeError::New(info.Env(), "dispose: expected a Tensor");
  releaseHandle(info.Env(), h);
  return info.Env().Undefined();
}
FN(LiveCount) { return Napi::Number::New(info.Env(), static_cast<double>(g_live)); }
// Reports the tensor's size to V8 as external memory (once), so that garbage collection weighs it: for
// tensors whose lifetime the GC decides. Tensors a tidy scope disposes are never reported; counting them
// made V8 collect for "external memory pressure" in every large batch, for memory no GC could free.
FN(Track) {
  Handle* h = unwrapHandle(info.Env(), info[0]);
  if (!h) throw Napi::TypeError::New(info.Env(), "track: expected a Tensor");
  if (h->t.defined() && h->bytes == 0) {
    h->bytes = static_cast<int64_t>(h->t.numel()) * static_cast<int64_t>(h->t.element_size());
    adjustMemory(info.Env(), h->bytes);
  }
  return info.Env().Undefined();
}

FN(Data) {
  return guard(info, "toTypedArray", [&](Ctx& c) -> Napi::Value {
    at::Tensor t = c.arg(info[0]).detach();
    int64_t code = i64(info[1]);
    if (code >= 0) t = t.to(dtypeOf(c, code));
    t = t.contiguous();
    size_t nb = t.numel() * t.element_size();
    Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(info.Env(), nb);
    if (nb) std::memcpy(buf.Data(), t.data_ptr(), nb);
    return buf;
  });
}
FN(Item) {
  return guard(info, "item", [&](Ctx& c) -> Napi::Value {
    auto& t = c.arg(info[0]);
    return Napi::Number::New(info.Env(), t.item().toDouble());
  });
}
FN(FromData) {
  return guard(info, "tensor", [&](Ctx& c) -> Napi::Value {
    if (!info[0].IsTypedArray()) throw Napi::TypeError::New(c.env, "tensor: expected a typed array");
    Napi::TypedArray ta = info[0].As<Napi::TypedArray>();
    auto shape = ints(c, info[1]);
    at::ScalarType dst = dtypeOf(c, i64(info[2]));
    at::ScalarType src;
    switch (ta.TypedArrayType()) {
      case napi_float32_array: src = at::kFloat; break;
      case napi_float64_array: src = at::kDouble; break;
      case napi_int32_array: src = at::kInt; break;
      case napi_bigint64_array: src = at::kLong; break;
      case napi_uint8_array: src = at::kByte; break;
      default: throw Napi::TypeError::New(c.env, "tensor: unsupported typed array (use Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array)");
    }
    int64_t n = 1;
    for (auto s : shape) n *= s;
    if (n != static_cast<int64_t>(ta.ElementLength()))
      throw Napi::Error::New(c.env, "tensor: shape [" + [&] { std::string s; for (size_t i = 0; i < shape.size(); ++i) s += (i ? "," : "") + std::to_string(shape[i]); return s; }() +
                                        "] needs " + std::to_string(n) + " elements, got " + std::to_string(ta.ElementLength()));
    void* ptr = static_cast<uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    at::Tensor view = at::from_blob(ptr, shape, at::TensorOptions().dtype(src));
    at::Tensor out = at::empty(shape, at::TensorOptions().dtype(dst));
    if (n) out.copy_(src == at::kByte && dst == at::kBool ? view.ne(0) : view);
    return wrapT(c.env, std::move(out));
  });
}

// ------------------------------------------------------------------------- element-wise families
const char* UN_NAMES[] = {"neg", "exp", "log", "sqrt", "abs", "relu", "tanh", "sigmoid", "contiguous", "clone",
                          "logicalNot", "detach", "square", "reciprocal", "floor", "round", "sign", "log1p",
                          "sin", "cos", "rsqrt"};
FN(Un) {
  int64_t op = i64(info[1]);
  if (op < 0 || op > 20) throw Napi::Error::New(info.Env(), "un: bad op code");
  return guard(info, UN_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Tensor r;
    switch (op) {
      case 0: r = at::neg(a); break;
      case 1: r = at::exp(a); break;
      case 2: r = at::log(a); break;
      case 3: r = at::sqrt(a); break;
      case 4: r = at::abs(a); break;
      case 5: r = at::relu(a); break;
      case 6: r = at::tanh(a); break;
      case 7: r = at::sigmoid(a); break;
      case 8: r = a.contiguous(); break;
      case 9: r = a.clone(); break;
      case 10: r = at::logical_not(a); break;
      case 11: r = a.detach(); break;
      case 12: r = at::square(a); break;
      case 13: r = at::reciprocal(a); break;
      case 14: r = at::floor(a); break;
      case 15: r = at::round(a); break;
      case 16: r = at::sign(a); break;
      case 17: r = at::log1p(a); break;
      case 18: r = at::sin(a); break;
      case 19: r = at::cos(a); break;
      case 20: r = at::rsqrt(a); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
const char* UNI_NAMES[] = {"sqrt_", "zero_", "relu_", "neg_", "exp_", "tanh_", "sigmoid_", "detach_"};
FN(UnI) {
  int64_t op = i64(info[1]);
  if (op < 0 || op > 7) throw Napi::Error::New(info.Env(), "unI: bad op code");
  return guard(info, UNI_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    switch (op) {
      case 0: a.sqrt_(); break;
      case 1: a.zero_(); break;
      case 2: a.relu_(); break;
      case 3: a.neg_(); break;
      case 4: a.exp_(); break;
      case 5: a.tanh_(); break;
      case 6: a.sigmoid_(); break;
      case 7: a.detach_(); break;
    }
    return c.env.Undefined();
  });
}
const char* BIN_NAMES[] = {"add", "sub", "mul", "div", "matmul", "eq", "ne", "lt", "le", "gt", "ge", "pow",
                           "maximum", "minimum", "logicalAnd", "logicalOr", "bmm"};
FN(Bin) {
  int64_t op = i64(info[2]);
  if (op < 0 || op > 16) throw Napi::Error::New(info.Env(), "bin: bad op code");
  return guard(info, BIN_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& b = c.arg(info[1]);
    at::Tensor r;
    switch (op) {
      case 0: r = at::add(a, b); break;
      case 1: r = at::sub(a, b); break;
      case 2: r = at::mul(a, b); break;
      case 3: r = at::div(a, b); break;
      case 4: r = at::matmul(a, b); break;
      case 5: r = at::eq(a, b); break;
      case 6: r = at::ne(a, b); break;
      case 7: r = at::lt(a, b); break;
      case 8: r = at::le(a, b); break;
      case 9: r = at::gt(a, b); break;
      case 10: r = at::ge(a, b); break;
      case 11: r = at::pow(a, b); break;
      case 12: r = at::maximum(a, b); break;
      case 13: r = at::minimum(a, b); break;
      case 14: r = at::logical_and(a, b); break;
      case 15: r = at::logical_or(a, b); break;
      case 16: r = at::bmm(a, b); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
const char* BINS_NAMES[] = {"add", "sub", "mul", "div", "pow", "eq", "ne", "lt", "le", "gt", "ge", "rsub", "rdiv"};
FN(BinS) {
  int64_t op = i64(info[2]);
  if (op < 0 || op > 12) throw Napi::Error::New(info.Env(), "binS: bad op code");
  return guard(info, BINS_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Scalar s = S(a, num(info[1]));
    at::Tensor r;
    switch (op) {
      case 0: r = at::add(a, s); break;
      case 1: r = at::sub(a, s); break;
      case 2: r = at::mul(a, s); break;
      case 3: r = at::div(a, s); break;
      case 4: r = at::pow(a, s); break;
      case 5: r = at::eq(a, s); break;
      case 6: r = at::ne(a, s); break;
      case 7: r = at::lt(a, s); break;
      case 8: r = at::le(a, s); break;
      case 9: r = at::gt(a, s); break;
      case 10: r = at::ge(a, s); break;
      case 11: r = at::rsub(a, s); break;
      case 12: r = at::mul(at::reciprocal(a), s); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
const char* BINI_NAMES[] = {"add_", "sub_", "mul_", "div_", "copy_"};
FN(BinI) {
  int64_t op = i64(info[2]);
  if (op < 0 || op > 4) throw Napi::Error::New(info.Env(), "binI: bad op code");
  return guard(info, BINI_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& b = c.arg(info[1]);
    double alpha = num(info[3]);
    switch (op) {
      case 0: a.add_(b, S(a, alpha)); break;
      case 1: a.sub_(b, S(a, alpha)); break;
      case 2: a.mul_(b); break;
      case 3: a.div_(b); break;
      case 4: a.copy_(b); break;
    }
    return c.env.Undefined();
  });
}
const char* BINSI_NAMES[] = {"add_", "sub_", "mul_", "div_", "fill_", "pow_"};
FN(BinSI) {
  int64_t op = i64(info[2]);
  if (op < 0 || op > 5) throw Napi::Error::New(info.Env(), "binSI: bad op code");
  return guard(info, BINSI_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Scalar s = S(a, num(info[1]));
    switch (op) {
      case 0: a.add_(s); break;
      case 1: a.sub_(s); break;
      case 2: a.mul_(s); break;
      case 3: a.div_(s); break;
      case 4: a.fill_(s); break;
      case 5: a.pow_(s); break;
    }
    return c.env.Undefined();
  });
}
FN(AddcI) {
  bool isDiv = i64(info[4]) == 1;
  return guard(info, isDiv ? "addcdiv_" : "addcmul_", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& b = c.arg(info[1]);
    auto& d = c.arg(info[2]);
    at::Scalar v(num(info[3]));
    if (isDiv) a.addcdiv_(b, d, v);
    else a.addcmul_(b, d, v);
    return c.env.Undefined();
  });
}
FN(Clamp) {
  bool inplace = flag(info[3]);
  return guard(info, inplace ? "clamp_" : "clamp", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    c10::optional<at::Scalar> lo, hi;
    if (!info[1].IsNull() && !info[1].IsUndefined()) lo = S(a, num(info[1]));
    if (!info[2].IsNull() && !info[2].IsUndefined()) hi = S(a, num(info[2]));
    if (inplace) {
      a.clamp_(lo, hi);
      return c.env.Undefined();
    }
    return wrapT(c.env, at::clamp(a, lo, hi));
  });
}

// ---------------------------------------------------------------------------------- reductions
const char* RED_NAMES[] = {"sum", "mean", "logsumexp", "prod", "amax", "amin"};
FN(Reduce) {
  int64_t op = i64(info[1]);
  if (op < 0 || op > 5) throw Napi::Error::New(info.Env(), "reduce: bad op code");
  return guard(info, RED_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    bool all = info[2].IsNull() || info[2].IsUndefined();
    std::vector<int64_t> dims;
    if (!all) dims = ints(c, info[2]);
    bool keep = flag(info[3]);
    if (all && keep) {
      for (int64_t i = 0; i < a.dim(); ++i) dims.push_back(i);
      all = false;
    }
    at::Tensor r;
    switch (op) {
      case 0: r = all ? at::sum(a) : at::sum(a, dims, keep); break;
      case 1: r = all ? at::mean(a) : at::mean(a, dims, keep); break;
      case 2: {
        if (all) {
          for (int64_t i = 0; i < a.dim(); ++i) dims.push_back(i);
        }
        r = at::logsumexp(a, dims, keep);
        break;
      }
      case 3:
        if (all) r = at::prod(a);
        else {
          if (dims.size() != 1) throw std::runtime_error("prod reduces over one dimension");
          r = at::prod(a, dims[0], keep);
        }
        break;
      case 4: r = at::amax(a, all ? at::IntArrayRef() : at::IntArrayRef(dims), keep); break;
      case 5: r = at::amin(a, all ? at::IntArrayRef() : at::IntArrayRef(dims), keep); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
FN(Max) {
  return guard(info, "max", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto r = at::max(a, i64(info[1]), flag(info[2]));
    Napi::Array out = Napi::Array::New(c.env, 2);
    out.Set(0u, wrapT(c.env, std::move(std::get<0>(r))));
    out.Set(1u, wrapT(c.env, std::move(std::get<1>(r))));
    return out;
  });
}
FN(Argmax) {
  return guard(info, "argmax", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    c10::optional<int64_t> dim;
    if (!info[1].IsNull() && !info[1].IsUndefined()) dim = i64(info[1]);
    return wrapT(c.env, at::argmax(a, dim, flag(info[2])));
  });
}
FN(Softmax) {
  bool log = flag(info[2]);
  return guard(info, log ? "logSoftmax" : "softmax", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    int64_t d = i64(info[1]);
    return wrapT(c.env, log ? at::log_softmax(a, d) : at::softmax(a, d));
  });
}
FN(Norm) {
  return guard(info, "norm", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    double p = num(info[1]);
    return wrapT(c.env, at::norm(a, at::Scalar(p)));
  });
}

// -------------------------------------------------------------------------- shapes and indexing
FN(Reshape) {
  bool view = flag(info[2]);
  return guard(info, view ? "view" : "reshape", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto s = ints(c, info[1]);
    return wrapT(c.env, view ? a.view(s) : a.reshape(s));
  });
}
FN(Permute) {
  return guard(info, "permute", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    return wrapT(c.env, a.permute(ints(c, info[1])));
  });
}
FN(Transpose) {
  return guard(info, "transpose", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    return wrapT(c.env, a.transpose(i64(info[1]), i64(info[2])));
  });
}
FN(Narrow) {
  return guard(info, "narrow", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    return wrapT(c.env, a.narrow(i64(info[1]), i64(info[2]), i64(info[3])));
  });
}
FN(Slice) {
  return guard(info, "slice", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    int64_t step = i64(info[4]);
    if (step <= 0) throw std::runtime_error("step must be positive, got " + std::to_string(step));
    return wrapT(c.env, a.slice(i64(info[1]), i64(info[2]), i64(info[3]), step));
  });
}
FN(IndexSelect) {
  return guard(info, "indexSelect", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& idx = c.arg(info[2]);
    return wrapT(c.env, at::index_select(a, i64(info[1]), idx));
  });
}
FN(Gather) {
  return guard(info, "gather", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& idx = c.arg(info[2]);
    return wrapT(c.env, at::gather(a, i64(info[1]), idx));
  });
}
FN(Unsqueeze) {
  return guard(info, "unsqueeze", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, a.unsqueeze(i64(info[1]))); });
}
FN(Squeeze) {
  return guard(info, "squeeze", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    if (info[1].IsNull() || info[1].IsUndefined()) return wrapT(c.env, a.squeeze());
    return wrapT(c.env, a.squeeze(i64(info[1])));
  });
}
FN(Expand) {
  return guard(info, "expand", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, a.expand(ints(c, info[1]))); });
}
FN(To) {
  return guard(info, "to", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, a.to(dtypeOf(c, i64(info[1])))); });
}
FN(Flip) {
  return guard(info, "flip", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, at::flip(a, ints(c, info[1]))); });
}
FN(MaskedFill) {
  bool inplace = flag(info[3]);
  return guard(info, inplace ? "maskedFill_" : "maskedFill", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& m = c.arg(info[1]);
    at::Scalar v = S(a, num(info[2]));
    if (inplace) {
      a.masked_fill_(m, v);
      return c.env.Undefined();
    }
    return wrapT(c.env, a.masked_fill(m, v));
  });
}
FN(Where) {
  return guard(info, "where", [&](Ctx& c) -> Napi::Value {
    auto& cond = c.arg(info[0]);
    auto& a = c.arg(info[1]);
    auto& b = c.arg(info[2]);
    return wrapT(c.env, at::where(cond, a, b));
  });
}
FN(Cat) {
  bool st = flag(info[2]);
  return guard(info, st ? "stack" : "cat", [&](Ctx& c) -> Napi::Value {
    const auto& ts = c.tensorList(info[0]);
    return wrapT(c.env, st ? at::stack(ts, i64(info[1])) : at::cat(ts, i64(info[1])));
  });
}

// ------------------------------------------------------------------------------------ autograd
FN(RequiresGrad) {
  return guard(info, "requiresGrad", [&](Ctx& c) -> Napi::Value { return Napi::Boolean::New(c.env, c.arg(info[0]).requires_grad()); });
}
FN(SetRequiresGrad) {
  return guard(info, "requiresGrad_", [&](Ctx& c) -> Napi::Value {
    c.arg(info[0]).requires_grad_(flag(info[1]));
    return c.env.Undefined();
  });
}
FN(Grad) {
  return guard(info, "grad", [&](Ctx& c) -> Napi::Value {
    const at::Tensor& g = c.arg(info[0]).grad();
    if (!g.defined()) return c.env.Null();
    return wrapT(c.env, g);
  });
}
FN(SetGrad) {
  return guard(info, "setGrad", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Tensor g = c.opt(info[1]);
    a.mutable_grad() = g;
    return c.env.Undefined();
  });
}
FN(Backward) {
  return guard(info, "backward", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Tensor g = c.opt(info[1]);
    a.backward(g, flag(info[2]));
    return c.env.Undefined();
  });
}
FN(SetGradEnabled) {
  bool prev = c10::GradMode::is_enabled();
  c10::GradMode::set_enabled(flag(info[0]));
  return Napi::Boolean::New(info.Env(), prev);
}
FN(IsGradEnabled) { return Napi::Boolean::New(info.Env(), c10::GradMode::is_enabled()); }
// Calls info[0]() under c10::InferenceMode (torch.inference_mode()): no autograd, version counters or
// view tracking, so every op inside skips that dispatch. Its tensors can never enter autograd later.
FN(InferenceMode) {
  c10::InferenceMode guard;
  return info[0].As<Napi::Function>().Call({});
}
FN(IsInferenceMode) { return Napi::Boolean::New(info.Env(), c10::InferenceMode::is_enabled()); }

// ------------------------------------------------------------------------------ creation, rng
FN(Full) {
  return guard(info, "full", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[0]);
    double v = num(info[1]);
    auto opts = at::TensorOptions().dtype(dtypeOf(c, i64(info[2])));
    if (v == 0) return wrapT(c.env, at::zeros(shape, opts));
    if (v == 1) return wrapT(c.env, at::ones(shape, opts));
    return wrapT(c.env, at::full(shape, at::Scalar(v), opts));
  });
}
FN(Arange) {
  return guard(info, "arange", [&](Ctx& c) -> Napi::Value {
    auto opts = at::TensorOptions().dtype(dtypeOf(c, i64(info[3])));
    return wrapT(c.env, at::arange(at::Scalar(num(info[0])), at::Scalar(num(info[1])), at::Scalar(num(info[2])), opts));
  });
}
FN(RandUniform) {
  return guard(info, "randUniform", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[0]);
    auto opts = at::TensorOptions().dtype(dtypeOf(c, i64(info[3])));
    return wrapT(c.env, at::empty(shape, opts).uniform_(num(info[1]), num(info[2])));
  });
}
FN(RandNormal) {
  return guard(info, "randNormal", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[0]);
    auto opts = at::TensorOptions().dtype(dtypeOf(c, i64(info[3])));
    return wrapT(c.env, at::empty(shape, opts).normal_(num(info[1]), num(info[2])));
  });
}
FN(Randint) {
  return guard(info, "randint", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[2]);
    return wrapT(c.env, at::randint(i64(info[0]), i64(info[1]), shape, at::TensorOptions().dtype(at::kLong)));
  });
}
FN(Randperm) {
  return guard(info, "randperm", [&](Ctx& c) -> Napi::Value {
    return wrapT(c.env, at::randperm(i64(info[0]), at::TensorOptions().dtype(at::kLong)));
  });
}
FN(Eye) {
  return guard(info, "eye", [&](Ctx& c) -> Napi::Value {
    return wrapT(c.env, at::eye(i64(info[0]), at::TensorOptions().dtype(dtypeOf(c, i64(info[1])))));
  });
}
FN(ManualSeed) {
  return guard(info, "manualSeed", [&](Ctx& c) -> Napi::Value {
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(static_cast<uint64_t>(i64(info[0])));
    return c.env.Undefined();
  });
}
FN(GetRngState) {
  return guard(info, "getRngState", [&](Ctx& c) -> Napi::Value {
    auto gen = at::detail::getDefaultCPUGenerator();
    at::Tensor st;
    {
      std::lock_guard<std::mutex> lock(gen.mutex());
      st = gen.get_state();
    }
    st = st.contiguous();
    size_t n = st.numel() * st.element_size();
    Napi::Uint8Array out = Napi::Uint8Array::New(c.env, n);
    std::memcpy(out.Data(), st.data_ptr(), n);
    return out;
  });
}
FN(SetRngState) {
  return guard(info, "setRngState", [&](Ctx& c) -> Napi::Value {
    if (!info[0].IsTypedArray()) throw Napi::TypeError::New(c.env, "setRngState: expected a Uint8Array");
    Napi::Uint8Array a = info[0].As<Napi::Uint8Array>();
    at::Tensor st = at::empty({static_cast<int64_t>(a.ElementLength())}, at::TensorOptions().dtype(at::kByte));
    std::memcpy(st.data_ptr(), a.Data(), a.ElementLength());
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(st);
    return c.env.Undefined();
  });
}

// ------------------------------------------------------------------------------------------- nn
FN(Embedding) {
  return guard(info, "embedding", [&](Ctx& c) -> Napi::Value {
    auto& w = c.arg(info[0]);
    auto& idx = c.arg(info[1]);
    return wrapT(c.env, at::embedding(w, idx, i64(info[2]), false, false));
  });
}
FN(Linear) {
  return guard(info, "linear", [&](Ctx& c) -> Napi::Value {
    auto& x = c.arg(info[0]);
    auto& w = c.arg(info[1]);
    at::Tensor b = c.opt(info[2]);
    return wrapT(c.env, at::linear(x, w, b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt));
  });
}
FN(Conv1d) {
  return guard(info, "conv1d", [&](Ctx& c) -> Napi::Value {
    auto& x = c.arg(info[0]);
    auto& w = c.arg(info[1]);
    at::Tensor b = c.opt(info[2]);
    int64_t stride = i64(info[3]), pad = i64(info[4]), dil = i64(info[5]), groups = i64(info[6]);
    return wrapT(c.env, at::conv1d(x, w, b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt, {stride}, {pad}, {dil}, groups));
  });
}
FN(Dropout) {
  return guard(info, "dropout", [&](Ctx& c) -> Napi::Value {
    auto& x = c.arg(info[0]);
    double p = num(info[1]);
    if (p < 0 || p > 1) throw std::runtime_error("probability must be in [0, 1], got " + std::to_string(p));
    return wrapT(c.env, at::dropout(x, p, flag(info[2])));
  });
}
FN(NllLoss) {
  return guard(info, "nllLoss", [&](Ctx& c) -> Napi::Value {
    auto& lp = c.arg(info[0]);
    auto& tg = c.arg(info[1]);
    return wrapT(c.env, at::nll_loss_nd(lp, tg, c10::nullopt, i64(info[2]), i64(info[3])));
  });
}
FN(CrossEntropy) {
  return guard(info, "crossEntropy", [&](Ctx& c) -> Napi::Value {
    auto& lg = c.arg(info[0]);
    auto& tg = c.arg(info[1]);
    return wrapT(c.env, at::cross_entropy_loss(lg, tg, c10::nullopt, i64(info[2]), i64(info[3]), num(info[4])));
  });
}
FN(OneHot) {
  return guard(info, "oneHot", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, at::one_hot(a, i64(info[1]))); });
}
FN(Multinomial) {
  return guard(info, "multinomial", [&](Ctx& c) -> Napi::Value {
    auto& p = c.arg(info[0]);
    return wrapT(c.env, at::multinomial(p, i64(info[1]), flag(info[2])));
  });
}
FN(ClipGradNorm) {
  return guard(info, "clipGradNorm", [&](Ctx& c) -> Napi::Value {
    const auto& ps = c.tensorList(info[0]);
    double maxNorm = num(info[1]);
    double p = num(info[2]);
    at::NoGradGuard ng;
    std::vector<at::Tensor> grads;
    for (auto& t : ps)
      if (t.grad().defined()) grads.push_back(t.grad());
    if (grads.empty()) return Napi::Number::New(c.env, 0.0);
    double total;
    if (std::isinf(p)) {
      double m = 0;
      for (auto& g : grads) m = std::max(m, g.abs().max().item<double>());
      total = m;
    } else {
      std::vector<at::Tensor> norms;
      norms.reserve(grads.size());
      for (auto& g : grads) norms.push_back(at::norm(g, at::Scalar(p)).to(at::kDouble));
      total = at::norm(at::stack(norms), at::Scalar(p)).item<double>();
    }
    double coef = maxNorm / (total + 1e-6);
    if (coef < 1)
      for (auto& g : grads) g.mul_(coef);
    return Napi::Number::New(c.env, total);
  });
}
FN(Lstm) {
  return guard(info, "lstm", [&](Ctx& c) -> Napi::Value {
    at::Tensor x = c.arg(info[0]);
    const auto& params = c.tensorList(info[1]);
    at::Tensor lengths = c.opt(info[2]);
    at::Tensor h0 = c.opt(info[3]);
    at::Tensor cc0 = c.opt(info[4]);
    bool hasBiases = flag(info[5]);
    int64_t layers = i64(info[6]);
    double drop = num(info[7]);
    bool train = flag(info[8]);
    bool bidir = flag(info[9]);
    bool batchFirst = flag(info[10]);
    int64_t dirs = bidir ? 2 : 1;
    int64_t per = hasBiases ? 4 : 2;
    if (static_cast<int64_t>(params.size()) != layers * dirs * per)
      throw std::runtime_error("expected " + std::to_string(layers * dirs * per) + " weight tensors (" +
                               std::to_string(layers) + " layer(s) × " + std::to_string(dirs) + " direction(s) × " +
                               std::to_string(per) + "), got " + std::to_string(params.size()));
    if (x.dim() != 3) throw std::runtime_error("input must be 3-d ([B, T, in] with batchFirst, else [T, B, in])");
    int64_t bdim = batchFirst ? 0 : 1;
    int64_t B = x.size(bdim);
    int64_t H = params[1].size(1);
    if (!h0.defined()) h0 = at::zeros({layers * dirs, B, H}, x.options());
    if (!cc0.defined()) cc0 = at::zeros({layers * dirs, B, H}, x.options());
    at::Tensor hx[2] = {h0, cc0};
    if (!lengths.defined()) {
      auto r = at::lstm(x, hx, params, hasBiases, layers, drop, train, bidir, batchFirst);
      Napi::Array out = Napi::Array::New(c.env, 3);
      out.Set(0u, wrapT(c.env, std::move(std::get<0>(r))));
      out.Set(1u, wrapT(c.env, std::move(std::get<1>(r))));
      out.Set(2u, wrapT(c.env, std::move(std::get<2>(r))));
      return out;
    }
    // packed path (like torch.nn.utils.rnn.pack_padded_sequence(enforce_sorted=False))
    at::Tensor len = lengths.to(at::kLong).contiguous();
    if (len.dim() != 1 || len.size(0) != B)
      throw std::runtime_error("lengths must be 1-d with one entry per sequence (" + std::to_string(B) + "), got shape " + shapeStr(len));
    int64_t T = x.size(batchFirst ? 1 : 0);
    auto sorted = at::sort(len, 0, /*descending=*/true);
    at::Tensor sortedLen = std::get<0>(sorted);
    at::Tensor sortIdx = std::get<1>(sorted);
    if (sortedLen[0].item<int64_t>() > T)
      throw std::runtime_error("a length (" + std::to_string(sortedLen[0].item<int64_t>()) + ") exceeds the time dimension " + std::to_string(T));
    bool isSorted = at::equal(sortedLen, len);
    at::Tensor unsortIdx;
    at::Tensor xs = x;
    if (!isSorted) {
      xs = x.index_select(bdim, sortIdx);
      unsortIdx = at::empty_like(sortIdx);
      unsortIdx.scatter_(0, sortIdx, at::arange(B, sortIdx.options()));
      h0 = h0.index_select(1, sortIdx);
      cc0 = cc0.index_select(1, sortIdx);
      hx[0] = h0;
      hx[1] = cc0;
    }
    auto packed = at::_pack_padded_sequence(xs, sortedLen, batchFirst);
    at::Tensor batchSizes = std::get<1>(packed);
    auto r = at::lstm(std::get<0>(packed), batchSizes, hx, params, hasBiases, layers, drop, train, bidir);
    auto padded = at::_pad_packed_sequence(std::get<0>(r), batchSizes, batchFirst, at::Scalar(0.0), T);
    at::Tensor out = std::get<0>(padded);
    at::Tensor hn = std::get<1>(r), cn = std::get<2>(r);
    if (!isSorted) {
      out = out.index_select(bdim, unsortIdx);
      hn = hn.index_select(1, unsortIdx);
      cn = cn.index_select(1, unsortIdx);
    }
    Napi::Array res = Napi::Array::New(c.env, 3);
    res.Set(0u, wrapT(c.env, std::move(out)));
    res.Set(1u, wrapT(c.env, std::move(hn)));
    res.Set(2u, wrapT(c.env, std::move(cn)));
    return res;
  });
}

// --------------------------------------------------------------------------------------- threads
FN(SetNumThreads) {
  return guard(info, "setNumThreads", [&](Ctx& c) -> Napi::Value {
    at::set_num_threads(static_cast<int>(i64(info[0])));
    return c.env.Undefined();
  });
}
FN(GetNumThreads) { return Napi::Number::New(info.Env(), at::get_num_threads()); }
FN(SetInteropThreads) {
  try {
    at::set_num_interop_threads(static_cast<int>(i64(info[0])));
    return Napi::Boolean::New(info.Env(), true);
  } catch (const std::exception&) {
    return Napi::Boolean::New(info.Env(), false);  // already started / already set: keep as is
  }
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
#define REG(js, fn) exports.Set(js, Napi::Function::New(env, fn, js))
  REG("shape", Shape); REG("dtype", Dtype); REG("numel", Numel); REG("isDisposed", IsDisposed);
  REG("dispose", Dispose); REG("liveCount", LiveCount); REG("track", Track); REG("data", Data); REG("item", Item);
  REG("fromData", FromData);
  REG("un", Un); REG("unI", UnI); REG("bin", Bin); REG("binS", BinS); REG("binI", BinI); REG("binSI", BinSI);
  REG("addcI", AddcI); REG("clamp", Clamp);
  REG("reduce", Reduce); REG("max", Max); REG("argmax", Argmax); REG("softmax", Softmax); REG("norm", Norm);
  REG("reshape", Reshape); REG("permute", Permute); REG("transpose", Transpose); REG("narrow", Narrow);
  REG("slice", Slice); REG("indexSelect", IndexSelect); REG("gather", Gather); REG("unsqueeze", Unsqueeze);
  REG("squeeze", Squeeze); REG("expand", Expand); REG("to", To); REG("flip", Flip); REG("maskedFill", MaskedFill);
  REG("where", Where); REG("cat", Cat);
  REG("requiresGrad", RequiresGrad); REG("setRequiresGrad", SetRequiresGrad); REG("grad", Grad);
  REG("setGrad", SetGrad); REG("backward", Backward); REG("setGradEnabled", SetGradEnabled);
  REG("isGradEnabled", IsGradEnabled); REG("inferenceMode", InferenceMode); REG("isInferenceMode", IsInferenceMode);
  REG("full", Full); REG("arange", Arange); REG("randUniform", RandUniform); REG("randNormal", RandNormal);
  REG("randint", Randint); REG("randperm", Randperm); REG("eye", Eye); REG("manualSeed", ManualSeed);
  REG("getRngState", GetRngState); REG("setRngState", SetRngState);
  REG("embedding", Embedding); REG("linear", Linear); REG("conv1d", Conv1d); REG("dropout", Dropout);
  REG("nllLoss", NllLoss); REG("crossEntropy", CrossEntropy); REG("oneHot", OneHot);
  REG("multinomial", Multinomial); REG("clipGradNorm", ClipGradNorm); REG("lstm", Lstm);
  REG("setNumThreads", SetNumThreads); REG("getNumThreads", GetNumThreads);
  REG("setInteropThreads", SetInteropThreads);
#undef REG
  return exports;
}

}  // namespace

NODE_API_MODULE(entrel_native, Init)
