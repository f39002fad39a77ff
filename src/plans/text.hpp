// Text helpers of the plan messages and report (private).
#pragma once

#include "core/cat.hpp"

namespace psp::plans {
using detail::cat;
}  // namespace psp::plans
