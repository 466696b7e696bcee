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
#include <unordered_map>
#include <vector>

#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {

// ----------------------------------------------------------------------------------------- handle
// One native tensor handle. JS sees a plain object wrapped (napi_wrap) around it; the TypeScript
// Tensor class holds that object. The finalizer is a *basic* (GC-time, synchronous) finalizer, so
// handles are freed during garbage collection even while a synchronous JS loop never yields.
// `tracked` is the storage this handle counts in V8's external memory: none until `track` (see Track).
struct Handle {
  at::Tensor t;
  c10::Storage tracked;
};

// What V8 is told about one storage: how many tracked handles hold it, and the bytes reported for it.
struct Reported {
  int64_t handles = 0;
  int64_t bytes = 0;
};

// This thread's JS context (worker threads each have their own: a handle is created, disposed and
// finalized on its context's thread, so this needs no lock and counts one context).
struct ContextState {
  int64_t live = 0;      // live handles
  int64_t reported = 0;  // external memory reported to V8, the sum over `storages`
  std::unordered_map<const c10::StorageImpl*, Reported> storages;
};
thread_local ContextState g_ctx;

// The most one storage reports. V8 CHECKs (in release builds too) that every adjustment is below
// 2^60 bytes and aborts the process otherwise; no real allocation comes near 2^50.
constexpr uint64_t kMaxReportedBytes = uint64_t(1) << 50;

inline void adjustMemory(node_api_basic_env env, int64_t delta) {
  if (delta != 0) {
    int64_t dummy;
    napi_adjust_external_memory(env, delta, &dummy);
    g_ctx.reported += delta;
  }
}

// Counts the handle's storage in V8's external memory, once per storage however many tracked handles
// (views) share it: a view's own numel × element size says nothing of what it holds (a broadcast view
// of 2^58 elements holds 4 bytes; one row of a large output pins all of it).
void trackStorage(node_api_basic_env env, Handle* h) {
  if (h->tracked || !h->t.defined() || !h->t.has_storage()) return;
  h->tracked = h->t.storage();
  Reported& r = g_ctx.storages[h->tracked.unsafeGetStorageImpl()];
  if (r.handles++ == 0) {
    r.bytes = static_cast<int64_t>(std::min<uint64_t>(h->tracked.nbytes(), kMaxReportedBytes));
    adjustMemory(env, r.bytes);
  }
}

// Undoes trackStorage; the last tracked handle of a storage takes back its bytes.
void untrackStorage(node_api_basic_env env, Handle* h) {
  if (!h->tracked) return;
  auto it = g_ctx.storages.find(h->tracked.unsafeGetStorageImpl());
  if (it != g_ctx.storages.end() && --it->second.handles == 0) {
    adjustMemory(env, -it->second.bytes);
    g_ctx.storages.erase(it);
  }
  h->tracked = c10::Storage();
}

// Frees the tensor of a handle (dispose or finalize).
inline void releaseHandle(node_api_basic_env env, Handle* h) {
  if (h->t.defined()) {
    untrackStorage(env, h);
    h->t = at::Tensor();
    --g_ctx.live;
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
  if (h->t.defined()) ++g_ctx.live;
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

std::string shown(napi_env env, napi_value v);

// The most tensor arguments an op takes (lstm: input, lengths, h0, c0; its weights come as a list).
constexpr int kMaxIns = 4;

struct Ctx {
  const char* op;
  Napi::Env env;
  // The tensor arguments, held for the whole call rather than referenced in their handles: a JS getter
  // that reading a later argument runs (an array element) may dispose a handle, and the op then still
  // works on the tensor it was given. Also used in error messages.
  at::Tensor ins[kMaxIns];
  int nin = 0;
  std::vector<at::Tensor> list;  // tensor-list argument (owned: it must outlive stack unwinding)
  Ctx(const char* o, Napi::Env e) : op(o), env(e) {}

  at::Tensor& arg(const Napi::Value& v) { return arg(static_cast<napi_value>(v)); }
  at::Tensor& arg(napi_value v) {
    Handle* h = unwrapHandle(env, v);
    if (!h) throw Napi::TypeError::New(env, std::string(op) + ": expected a Tensor argument, got " + shown(env, v));
    if (!h->t.defined())
      throw Napi::Error::New(env, std::string(op) + ": tensor has been disposed (used after dispose() or after its tidy() scope ended)");
    if (nin == kMaxIns) throw std::logic_error("more tensor arguments than the binding holds");
    ins[nin] = h->t;
    return ins[nin++];
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
    for (int i = 0; i < nin; ++i) all.push_back(&ins[i]);
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
// The largest integer below which every integer is exact in a double (2^53 − 1): an integer argument
// beyond it was already rounded in JS, and one beyond int64 cannot be converted at all.
constexpr double kMaxSafeInt = 9007199254740991.0;

// A refused argument as the message shows it: numbers as JS prints them, other values by their type.
std::string shown(napi_env env, napi_value v) {
  napi_valuetype t = napi_undefined;
  napi_typeof(env, v, &t);
  Napi::Value val(env, v);
  switch (t) {
    case napi_undefined: return "undefined";
    case napi_null: return "null";
    case napi_number:
    case napi_boolean: return val.ToString().Utf8Value();
    case napi_bigint: return "the BigInt " + val.ToString().Utf8Value() + "n";
    case napi_string: {
      std::string s = val.As<Napi::String>().Utf8Value();
      return "the string \"" + (s.size() > 40 ? s.substr(0, 40) + "…" : s) + "\"";
    }
    case napi_symbol: return "a symbol";
    case napi_function: return "a function";
    default: return "an object";
  }
}

std::string argName(const char* what, int64_t index) {
  return index < 0 ? std::string(what) : std::string(what) + "[" + std::to_string(index) + "]";
}

// A number argument. node-addon-api's own message for anything else ("A number was expected") names
// neither the op nor the argument.
double num(Ctx& c, napi_value v, const char* what, int64_t index = -1) {
  double d;
  if (napi_get_value_double(c.env, v, &d) != napi_ok)
    throw Napi::TypeError::New(c.env, std::string(c.op) + ": " + argName(what, index) + " must be a number, got " + shown(c.env, v));
  return d;
}

// An integer argument (a dim, size, index or count): a finite integer in [lo, hi], which are at most
// ±(2^53 − 1). napi_get_value_int64 would truncate 1.5 to 1 and turn NaN and ±Infinity into 0.
int64_t intArg(Ctx& c, napi_value v, const char* what, double lo = -kMaxSafeInt, double hi = kMaxSafeInt, int64_t index = -1) {
  double d = num(c, v, what, index);
  if (!(d >= lo && d <= hi && d == std::floor(d))) {
    std::string from = std::to_string(static_cast<int64_t>(lo));
    std::string range = hi != kMaxSafeInt   ? "an integer from " + from + " to " + std::to_string(static_cast<int64_t>(hi))
                        : lo != -kMaxSafeInt ? "an integer ≥ " + from
                                             : "an integer within ±(2^53 − 1)";
    throw Napi::RangeError::New(c.env, std::string(c.op) + ": " + argName(what, index) + " must be " + range + ", got " + shown(c.env, v));
  }
  return static_cast<int64_t>(d);
}

inline bool flag(const Napi::Value& v) { return v.ToBoolean().Value(); }
inline bool absent(const Napi::Value& v) { return v.IsNull() || v.IsUndefined(); }

// An array of integers (a shape, dims), each checked as intArg does. Grown element by element, so that
// a sparse array claiming 2^32 − 1 elements fails at its first hole, not after a huge allocation.
std::vector<int64_t> ints(Ctx& c, const Napi::Value& v, const char* what) {
  if (!v.IsArray()) throw Napi::TypeError::New(c.env, std::string(c.op) + ": " + what + " must be an array of integers, got " + shown(c.env, v));
  Napi::Array a = v.As<Napi::Array>();
  uint32_t n = a.Length();
  std::vector<int64_t> out;
  out.reserve(std::min<uint32_t>(n, 16));
  for (uint32_t i = 0; i < n; ++i) out.push_back(intArg(c, a.Get(i), what, -kMaxSafeInt, kMaxSafeInt, i));
  return out;
}

// The op code of a family (un, bin, …). tensor.ts writes them, so a bad one is a bug there.
template <size_t N>
int opCode(const Napi::CallbackInfo& info, size_t i, const char* (&names)[N], const char* family) {
  int32_t op = -1;
  if (napi_get_value_int32(info.Env(), info[i], &op) != napi_ok || op < 0 || static_cast<size_t>(op) >= N)
    throw Napi::Error::New(info.Env(), std::string(family) + ": bad op code");
  return op;
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
at::ScalarType dtypeArg(Ctx& c, napi_value v) { return dtypeOf(c, intArg(c, v, "dtype", 0, 4)); }
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
inline at::Scalar S(at::ScalarType dt, double v) {
  if (!at::isFloatingType(dt) && std::floor(v) == v && std::fabs(v) < 9.0e15) return at::Scalar(static_cast<int64_t>(v));
  return at::Scalar(v);
}
inline at::Scalar S(const at::Tensor& t, double v) { return S(t.scalar_type(), v); }

// A number stored as it is into a tensor of `dt` (fill_, full, maskedFill). For an integer dtype
// libtorch turns NaN, ±Infinity and values beyond int64 into INT64_MIN (its range check lets 2^63
// through): refused here. Arithmetic with such a scalar promotes to float instead, so S stays unchecked.
at::Scalar stored(Ctx& c, at::ScalarType dt, napi_value v, const char* what) {
  double d = num(c, v, what);
  if (at::isIntegralType(dt, /*includeBool=*/false) && !(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
    throw Napi::RangeError::New(c.env, std::string(c.op) + ": " + what + " " + shown(c.env, v) + " does not fit an " + dtypeName(dt) + " tensor");
  return S(dt, d);
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
FN(LiveCount) { return Napi::Number::New(info.Env(), static_cast<double>(g_ctx.live)); }
// Counts the tensor's storage in V8's external memory (see trackStorage), so that garbage collection
// weighs it: for tensors whose lifetime the GC decides. Tensors a tidy scope disposes are never counted;
// counting them made V8 collect for "external memory pressure" in every large batch, for memory no GC
// could free.
FN(Track) {
  Handle* h = unwrapHandle(info.Env(), info[0]);
  if (!h) throw Napi::TypeError::New(info.Env(), "track: expected a Tensor");
  trackStorage(info.Env(), h);
  return info.Env().Undefined();
}
// Bytes this thread's context reports to V8 as external memory (for tests: Node's own figures leave it out).
FN(ReportedBytes) { return Napi::Number::New(info.Env(), static_cast<double>(g_ctx.reported)); }

FN(Data) {
  return guard(info, "toTypedArray", [&](Ctx& c) -> Napi::Value {
    at::Tensor t = c.arg(info[0]).detach();
    int64_t code = intArg(c, info[1], "dtype", -1, 4);
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
    // The data pointer comes from napi_get_typedarray_info: napi_get_arraybuffer_info, which
    // TypedArray::ArrayBuffer().Data() goes through, refuses a SharedArrayBuffer.
    napi_typedarray_type type;
    size_t len = 0;
    void* data = nullptr;
    if (!info[0].IsTypedArray() || napi_get_typedarray_info(c.env, info[0], &type, &len, &data, nullptr, nullptr) != napi_ok)
      throw Napi::TypeError::New(c.env, "tensor: expected a typed array, got " + shown(c.env, info[0]));
    auto shape = ints(c, info[1], "shape");
    at::ScalarType dst = dtypeArg(c, info[2]);
    at::ScalarType src;
    switch (type) {
      case napi_float32_array: src = at::kFloat; break;
      case napi_float64_array: src = at::kDouble; break;
      case napi_int32_array: src = at::kInt; break;
      case napi_bigint64_array: src = at::kLong; break;
      case napi_uint8_array: src = at::kByte; break;
      default: throw Napi::TypeError::New(c.env, "tensor: unsupported typed array (use Float32Array, Float64Array, Int32Array, BigInt64Array or Uint8Array)");
    }
    std::string dims;
    for (size_t i = 0; i < shape.size(); ++i) dims += (i ? "," : "") + std::to_string(shape[i]);
    int64_t n = 1;
    for (auto s : shape)
      if (s < 0 || __builtin_mul_overflow(n, s, &n))
        throw Napi::RangeError::New(c.env, "tensor: invalid shape [" + dims + "] (sizes must be non-negative, their product within int64)");
    if (n != static_cast<int64_t>(len))
      throw Napi::Error::New(c.env, "tensor: shape [" + dims + "] needs " + std::to_string(n) + " elements, got " + std::to_string(len));
    at::Tensor out = at::empty(shape, at::TensorOptions().dtype(dst));
    if (n) {
      at::Tensor view = at::from_blob(data, shape, at::TensorOptions().dtype(src));
      out.copy_(src == at::kByte && dst == at::kBool ? view.ne(0) : view);
    }
    return wrapT(c.env, std::move(out));
  });
}

// ------------------------------------------------------------------------- element-wise families
const char* UN_NAMES[] = {"neg", "exp", "log", "sqrt", "abs", "relu", "tanh", "sigmoid", "contiguous", "clone",
                          "logicalNot", "detach", "square", "reciprocal", "log1p"};
FN(Un) {
  int op = opCode(info, 1, UN_NAMES, "un");
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
      case 14: r = at::log1p(a); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
const char* UNI_NAMES[] = {"sqrt_", "zero_"};
FN(UnI) {
  int op = opCode(info, 1, UNI_NAMES, "unI");
  return guard(info, UNI_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    switch (op) {
      case 0: a.sqrt_(); break;
      case 1: a.zero_(); break;
    }
    return c.env.Undefined();
  });
}
const char* BIN_NAMES[] = {"add", "sub", "mul", "div", "matmul", "eq", "ne", "lt", "le", "gt", "ge", "pow",
                           "maximum", "minimum", "logicalAnd", "bmm"};
FN(Bin) {
  int op = opCode(info, 2, BIN_NAMES, "bin");
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
      case 15: r = at::bmm(a, b); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
const char* BINS_NAMES[] = {"add", "sub", "mul", "div", "pow", "eq", "ne", "lt", "le", "gt", "ge", "rsub"};
FN(BinS) {
  int op = opCode(info, 2, BINS_NAMES, "binS");
  return guard(info, BINS_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Scalar s = S(a, num(c, info[1], "scalar"));
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
    }
    return wrapT(c.env, std::move(r));
  });
}
const char* BINI_NAMES[] = {"add_", "sub_", "mul_", "div_", "copy_"};
FN(BinI) {
  int op = opCode(info, 2, BINI_NAMES, "binI");
  return guard(info, BINI_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& b = c.arg(info[1]);
    double alpha = num(c, info[3], "alpha");
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
const char* BINSI_NAMES[] = {"add_", "sub_", "mul_", "div_", "fill_"};
FN(BinSI) {
  int op = opCode(info, 2, BINSI_NAMES, "binSI");
  return guard(info, BINSI_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    at::Scalar s = op == 4 ? stored(c, a.scalar_type(), info[1], "value") : S(a, num(c, info[1], "scalar"));
    switch (op) {
      case 0: a.add_(s); break;
      case 1: a.sub_(s); break;
      case 2: a.mul_(s); break;
      case 3: a.div_(s); break;
      case 4: a.fill_(s); break;
    }
    return c.env.Undefined();
  });
}
FN(AddcI) {
  bool isDiv = flag(info[4]);
  return guard(info, isDiv ? "addcdiv_" : "addcmul_", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& b = c.arg(info[1]);
    auto& d = c.arg(info[2]);
    at::Scalar v(num(c, info[3], "value"));
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
    if (!absent(info[1])) lo = S(a, num(c, info[1], "min"));
    if (!absent(info[2])) hi = S(a, num(c, info[2], "max"));
    if (inplace) {
      a.clamp_(lo, hi);
      return c.env.Undefined();
    }
    return wrapT(c.env, at::clamp(a, lo, hi));
  });
}

// ---------------------------------------------------------------------------------- reductions
const char* RED_NAMES[] = {"sum", "mean", "logsumexp", "amax"};
FN(Reduce) {
  int op = opCode(info, 1, RED_NAMES, "reduce");
  return guard(info, RED_NAMES[op], [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    bool all = absent(info[2]);
    std::vector<int64_t> dims;
    if (!all) dims = ints(c, info[2], "dims");
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
      case 3: r = at::amax(a, all ? at::IntArrayRef() : at::IntArrayRef(dims), keep); break;
    }
    return wrapT(c.env, std::move(r));
  });
}
FN(Max) {
  return guard(info, "max", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto r = at::max(a, intArg(c, info[1], "dim"), flag(info[2]));
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
    if (!absent(info[1])) dim = intArg(c, info[1], "dim");
    return wrapT(c.env, at::argmax(a, dim, flag(info[2])));
  });
}
FN(Softmax) {
  bool log = flag(info[2]);
  return guard(info, log ? "logSoftmax" : "softmax", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    int64_t d = intArg(c, info[1], "dim");
    return wrapT(c.env, log ? at::log_softmax(a, d) : at::softmax(a, d));
  });
}
FN(Norm) {
  return guard(info, "norm", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    double p = num(c, info[1], "p");
    return wrapT(c.env, at::norm(a, at::Scalar(p)));
  });
}

// -------------------------------------------------------------------------- shapes and indexing
FN(Reshape) {
  bool view = flag(info[2]);
  return guard(info, view ? "view" : "reshape", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto s = ints(c, info[1], "shape");
    return wrapT(c.env, view ? a.view(s) : a.reshape(s));
  });
}
FN(Permute) {
  return guard(info, "permute", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    return wrapT(c.env, a.permute(ints(c, info[1], "dims")));
  });
}
FN(Transpose) {
  return guard(info, "transpose", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    return wrapT(c.env, a.transpose(intArg(c, info[1], "dim0"), intArg(c, info[2], "dim1")));
  });
}
FN(Narrow) {
  return guard(info, "narrow", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    return wrapT(c.env, a.narrow(intArg(c, info[1], "dim"), intArg(c, info[2], "start"), intArg(c, info[3], "length")));
  });
}
FN(Slice) {
  return guard(info, "slice", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    int64_t step = intArg(c, info[4], "step", 1, kMaxSafeInt);
    return wrapT(c.env, a.slice(intArg(c, info[1], "dim"), intArg(c, info[2], "start"), intArg(c, info[3], "end"), step));
  });
}
FN(IndexSelect) {
  return guard(info, "indexSelect", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& idx = c.arg(info[2]);
    return wrapT(c.env, at::index_select(a, intArg(c, info[1], "dim"), idx));
  });
}
FN(Gather) {
  return guard(info, "gather", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& idx = c.arg(info[2]);
    return wrapT(c.env, at::gather(a, intArg(c, info[1], "dim"), idx));
  });
}
FN(Unsqueeze) {
  return guard(info, "unsqueeze", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, a.unsqueeze(intArg(c, info[1], "dim"))); });
}
FN(Squeeze) {
  return guard(info, "squeeze", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    if (absent(info[1])) return wrapT(c.env, a.squeeze());
    return wrapT(c.env, a.squeeze(intArg(c, info[1], "dim")));
  });
}
FN(Expand) {
  return guard(info, "expand", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, a.expand(ints(c, info[1], "shape"))); });
}
FN(To) {
  return guard(info, "to", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, a.to(dtypeArg(c, info[1]))); });
}
FN(MaskedFill) {
  bool inplace = flag(info[3]);
  return guard(info, inplace ? "maskedFill_" : "maskedFill", [&](Ctx& c) -> Napi::Value {
    auto& a = c.arg(info[0]);
    auto& m = c.arg(info[1]);
    at::Scalar v = stored(c, a.scalar_type(), info[2], "value");
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
    int64_t dim = intArg(c, info[1], "dim");
    return wrapT(c.env, st ? at::stack(ts, dim) : at::cat(ts, dim));
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
// Calls info[0]() under c10::InferenceMode (torch.inference_mode()): no autograd, version counters or
// view tracking, so every op inside skips that dispatch. Its tensors can never enter autograd later.
FN(InferenceMode) {
  if (!info[0].IsFunction()) throw Napi::TypeError::New(info.Env(), "inferenceMode: expected a function, got " + shown(info.Env(), info[0]));
  c10::InferenceMode guard;
  return info[0].As<Napi::Function>().Call({});
}

// ------------------------------------------------------------------------------ creation, rng
FN(Full) {
  return guard(info, "full", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[0], "shape");
    at::ScalarType dt = dtypeArg(c, info[2]);
    at::Scalar v = stored(c, dt, info[1], "value");
    auto opts = at::TensorOptions().dtype(dt);
    if (v.toDouble() == 0) return wrapT(c.env, at::zeros(shape, opts));
    if (v.toDouble() == 1) return wrapT(c.env, at::ones(shape, opts));
    return wrapT(c.env, at::full(shape, v, opts));
  });
}
FN(Arange) {
  return guard(info, "arange", [&](Ctx& c) -> Napi::Value {
    auto opts = at::TensorOptions().dtype(dtypeArg(c, info[3]));
    return wrapT(c.env, at::arange(at::Scalar(num(c, info[0], "start")), at::Scalar(num(c, info[1], "end")), at::Scalar(num(c, info[2], "step")), opts));
  });
}
FN(RandUniform) {
  return guard(info, "randUniform", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[0], "shape");
    auto opts = at::TensorOptions().dtype(dtypeArg(c, info[3]));
    return wrapT(c.env, at::empty(shape, opts).uniform_(num(c, info[1], "lo"), num(c, info[2], "hi")));
  });
}
FN(RandNormal) {
  return guard(info, "randNormal", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[0], "shape");
    auto opts = at::TensorOptions().dtype(dtypeArg(c, info[3]));
    return wrapT(c.env, at::empty(shape, opts).normal_(num(c, info[1], "mean"), num(c, info[2], "std")));
  });
}
FN(Randint) {
  return guard(info, "randint", [&](Ctx& c) -> Napi::Value {
    auto shape = ints(c, info[2], "shape");
    return wrapT(c.env, at::randint(intArg(c, info[0], "lo"), intArg(c, info[1], "hi"), shape, at::TensorOptions().dtype(at::kLong)));
  });
}
FN(Eye) {
  return guard(info, "eye", [&](Ctx& c) -> Napi::Value {
    return wrapT(c.env, at::eye(intArg(c, info[0], "n", 0, kMaxSafeInt), at::TensorOptions().dtype(dtypeArg(c, info[1]))));
  });
}
FN(ManualSeed) {
  return guard(info, "manualSeed", [&](Ctx& c) -> Napi::Value {
    uint64_t seed = static_cast<uint64_t>(intArg(c, info[0], "seed", 0, kMaxSafeInt));
    auto gen = at::detail::getDefaultCPUGenerator();
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_current_seed(seed);
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
    napi_typedarray_type type;
    size_t len = 0;
    void* data = nullptr;
    if (!info[0].IsTypedArray() || napi_get_typedarray_info(c.env, info[0], &type, &len, &data, nullptr, nullptr) != napi_ok ||
        type != napi_uint8_array)
      throw Napi::TypeError::New(c.env, "setRngState: expected a Uint8Array");
    at::Tensor st = at::empty({static_cast<int64_t>(len)}, at::TensorOptions().dtype(at::kByte));
    if (len) std::memcpy(st.data_ptr(), data, len);
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
    return wrapT(c.env, at::embedding(w, idx, intArg(c, info[2], "paddingIdx"), false, false));
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
    int64_t stride = intArg(c, info[3], "stride"), pad = intArg(c, info[4], "padding");
    int64_t dil = intArg(c, info[5], "dilation"), groups = intArg(c, info[6], "groups");
    return wrapT(c.env, at::conv1d(x, w, b.defined() ? c10::optional<at::Tensor>(b) : c10::nullopt, {stride}, {pad}, {dil}, groups));
  });
}
FN(Dropout) {
  return guard(info, "dropout", [&](Ctx& c) -> Napi::Value {
    auto& x = c.arg(info[0]);
    double p = num(c, info[1], "p");
    if (!(p >= 0 && p <= 1)) throw Napi::RangeError::New(c.env, "dropout: p must be a probability in [0, 1], got " + shown(c.env, info[1]));
    return wrapT(c.env, at::dropout(x, p, flag(info[2])));
  });
}
FN(CrossEntropy) {
  return guard(info, "crossEntropy", [&](Ctx& c) -> Napi::Value {
    auto& lg = c.arg(info[0]);
    auto& tg = c.arg(info[1]);
    return wrapT(c.env, at::cross_entropy_loss(lg, tg, c10::nullopt, intArg(c, info[2], "reduction", 0, 2), intArg(c, info[3], "ignoreIndex"),
                                                  num(c, info[4], "labelSmoothing")));
  });
}
FN(OneHot) {
  return guard(info, "oneHot", [&](Ctx& c) -> Napi::Value { auto& a = c.arg(info[0]); return wrapT(c.env, at::one_hot(a, intArg(c, info[1], "n"))); });
}
FN(ClipGradNorm) {
  return guard(info, "clipGradNorm", [&](Ctx& c) -> Napi::Value {
    const auto& ps = c.tensorList(info[0]);
    double maxNorm = num(c, info[1], "maxNorm");
    double p = num(c, info[2], "normType");
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
    int64_t layers = intArg(c, info[6], "numLayers", 1, kMaxSafeInt);
    double drop = num(c, info[7], "dropout");
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
    // numLayers >= 1 and the count above hold params[1], the first w_hh [4H, H]
    if (params[1].dim() != 2) throw std::runtime_error("w_hh (weight 1) must be 2-d [4H, H], got shape " + shapeStr(params[1]));
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
    if (B == 0) throw std::runtime_error("lengths need at least one sequence");
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
// Most threads accepted: MAX_THREADS in src/native/loader.ts. at::set_num_threads also resizes a
// process-wide pthreadpool at once, so a huge count would start that many threads.
constexpr double kMaxThreads = 1024;

FN(SetNumThreads) {
  return guard(info, "setNumThreads", [&](Ctx& c) -> Napi::Value {
    int n = static_cast<int>(intArg(c, info[0], "n", 1, kMaxThreads));
    // libtorch keeps the count last set by any thread, and a thread's first get_num_threads() or
    // parallel op applies it to that thread (lazy_init_num_threads), over whatever the thread had set.
    // Running that initialisation first makes the count set here the calling thread's own.
    at::get_num_threads();
    at::set_num_threads(n);
    return c.env.Undefined();
  });
}
FN(GetNumThreads) { return Napi::Number::New(info.Env(), at::get_num_threads()); }
FN(SetInteropThreads) {
  return guard(info, "setInteropThreads", [&](Ctx& c) -> Napi::Value {
    int n = static_cast<int>(intArg(c, info[0], "n", 1, kMaxThreads));
    try {
      at::set_num_interop_threads(n);
      return Napi::Boolean::New(c.env, true);
    } catch (const c10::Error&) {
      return Napi::Boolean::New(c.env, false);  // already started / already set: keep as is
    }
  });
}

// --------------------------------------------------------------------------------------- memory
// glibc keeps what the variable-size tensors of each batch free in its arenas, so a long training run's
// resident memory climbs (about 2 MB an epoch on 100 sentences) with nothing alive. malloc_trim gives the
// free pages back. false where there is no glibc (nothing to do).
FN(TrimMemory) {
#ifdef __GLIBC__
  return Napi::Boolean::New(info.Env(), malloc_trim(0) != 0);
#else
  return Napi::Boolean::New(info.Env(), false);
#endif
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
#define REG(js, fn) exports.Set(js, Napi::Function::New(env, fn, js))
  REG("shape", Shape); REG("dtype", Dtype); REG("numel", Numel); REG("isDisposed", IsDisposed);
  REG("dispose", Dispose); REG("liveCount", LiveCount); REG("track", Track); REG("reportedBytes", ReportedBytes);
  REG("data", Data); REG("item", Item);
  REG("fromData", FromData);
  REG("un", Un); REG("unI", UnI); REG("bin", Bin); REG("binS", BinS); REG("binI", BinI); REG("binSI", BinSI);
  REG("addcI", AddcI); REG("clamp", Clamp);
  REG("reduce", Reduce); REG("max", Max); REG("argmax", Argmax); REG("softmax", Softmax); REG("norm", Norm);
  REG("reshape", Reshape); REG("permute", Permute); REG("transpose", Transpose); REG("narrow", Narrow);
  REG("slice", Slice); REG("indexSelect", IndexSelect); REG("gather", Gather); REG("unsqueeze", Unsqueeze);
  REG("squeeze", Squeeze); REG("expand", Expand); REG("to", To); REG("maskedFill", MaskedFill);
  REG("where", Where); REG("cat", Cat);
  REG("requiresGrad", RequiresGrad); REG("setRequiresGrad", SetRequiresGrad); REG("grad", Grad);
  REG("setGrad", SetGrad); REG("backward", Backward); REG("setGradEnabled", SetGradEnabled);
  REG("inferenceMode", InferenceMode);
  REG("full", Full); REG("arange", Arange); REG("randUniform", RandUniform); REG("randNormal", RandNormal);
  REG("randint", Randint); REG("eye", Eye); REG("manualSeed", ManualSeed);
  REG("getRngState", GetRngState); REG("setRngState", SetRngState);
  REG("embedding", Embedding); REG("linear", Linear); REG("conv1d", Conv1d); REG("dropout", Dropout);
  REG("crossEntropy", CrossEntropy); REG("oneHot", OneHot); REG("clipGradNorm", ClipGradNorm); REG("lstm", Lstm);
  REG("setNumThreads", SetNumThreads); REG("getNumThreads", GetNumThreads);
  REG("setInteropThreads", SetInteropThreads); REG("trimMemory", TrimMemory);
#undef REG
  return exports;
}

}  // namespace

NODE_API_MODULE(entrel_native, Init)
