// SPDX-License-Identifier: Apache-2.0
#pragma once
// Access log lines sent over syslog (nginx's access_log syslog:server=...,tag=shop; rsyslog
// forwarding): the header of RFC 3164 (<PRI>Mmm dd hh:mm:ss HOST TAG[PID]: MSG) or RFC 5424
// (<PRI>1 TIME HOST APP PROCID MSGID SD MSG) taken off, and TCP's framing (RFC 6587: octet
// counting, "LEN SP MSG", or one message a line).
#include <cstddef>
#include <string>
#include <string_view>

namespace hitwatch {

struct ReceivedSyslog {
    bool ok = false;          // a syslog message at all (it begins with <PRI>)
    std::string_view tag;     // RFC 3164's TAG, RFC 5424's APP-NAME ("" for "-")
    std::string_view content; // the log line
};

ReceivedSyslog parse_syslog(std::string_view message);

// Cuts a TCP stream into messages. Each is given to on_message(std::string_view), valid
// until the next feed; one longer than `max_message` goes to on_overlong() instead (and,
// newline-framed, is skipped to its end).
class SyslogFramer {
public:
    explicit SyslogFramer(std::size_t max_message) : max_(max_message) {}

    template <class OnMessage, class OnOverlong>
    void feed(std::string_view bytes, OnMessage&& on_message, OnOverlong&& on_overlong) {
        buffer_.append(bytes);
        std::string_view rest = buffer_;
        for (;;) {
            const Frame f = next(rest);
            if (f.kind == Frame::more) break;
            if (f.kind == Frame::message) on_message(f.text);
            if (f.kind == Frame::overlong) on_overlong();
        }
        buffer_.erase(0, buffer_.size() - rest.size());
    }

private:
    struct Frame {
        enum Kind { more, message, overlong, skipped } kind = more;
        std::string_view text;
    };
    Frame next(std::string_view& rest);

    std::size_t max_;
    std::string buffer_;
    std::size_t discard_ = 0;  // bytes of an overlong octet-counted frame still to skip
    bool discarding_line_ = false;  // an overlong newline-framed message, to its newline
};

}  // namespace hitwatch
