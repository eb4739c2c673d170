// Result<T>: the return type of every operation that can fail in an expected
// way (a missing file, a guest that never answered, a malformed sysfs line).
// Policy (see docs/ERRORS.md): expected failures are values, never
// exceptions; exceptions are reserved for fatal user errors caught in main;
// broken internal invariants abort.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>
#include <variant>

namespace scxfarm {

struct Error {
  std::string message;

  // Prefix context, e.g. Error{"no such file"}.context("kernel config") gives
  // "kernel config: no such file".
  Error context(const std::string& what) const { return Error{what + ": " + message}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return check(), std::get<0>(v_); }
  const T& value() const& { return check(), std::get<0>(v_); }
  T&& value() && { return check(), std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const {
    if (ok()) std::abort();  // a bug: asked for the error of a success
    return std::get<1>(v_);
  }

 private:
  void check() const {
    if (!ok()) std::abort();  // a bug: used a value without checking ok()
  }
  std::variant<T, Error> v_;
};

// Result<void>: success carries no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), failed_(true) {}  // NOLINT

  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const {
    if (!failed_) std::abort();
    return error_;
  }

 private:
  Error error_;
  bool failed_ = false;
};

using Status = Result<void>;

inline Error make_error(std::string message) {
  return Error{std::move(message)};
}

}  // namespace scxfarm
