// The whole C++ API of psp in one include.
#pragma once

#include "psp/actor.hpp"
#include "psp/booking.hpp"
#include "psp/calendar.hpp"
#include "psp/database.hpp"
#include "psp/error.hpp"
#include "psp/ids.hpp"
#include "psp/journal.hpp"
#include "psp/model.hpp"
#include "psp/network.hpp"
#include "psp/pricing.hpp"
#include "psp/settlement.hpp"
#include "psp/synth.hpp"
#include "psp/version.hpp"
