// UTF-8 validation after RFC 3629 §4 (the byte ranges of each well-formed sequence).
#include "core/utf8.hpp"

namespace psp::detail {

bool valid_utf8(std::string_view s) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        // Length of the sequence and the allowed range of its second byte.
        int length = 0;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            length = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            length = 3;
            if (c == 0xE0) lo = 0xA0;   // no overlong 3-byte forms
            if (c == 0xED) hi = 0x9F;   // no UTF-16 surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            length = 4;
            if (c == 0xF0) lo = 0x90;   // no overlong 4-byte forms
            if (c == 0xF4) hi = 0x8F;   // nothing above U+10FFFF
        } else {
            return false;
        }
        if (end - p < length) return false;
        if (p[1] < lo || p[1] > hi) return false;
        for (int i = 2; i < length; ++i) {
            if ((p[i] & 0xC0U) != 0x80U) return false;
        }
        p += length;
    }
    return true;
}

}  // namespace psp::detail
