// Checks shared by the entry points of the projects module.
#pragma once

#include <span>

#include "psp/projects.hpp"

namespace psp::projects {

// validate() of each project, and no id twice; Error(invalid) naming the first at fault.
void validate_all(std::span<const Project> projects);

}  // namespace psp::projects
