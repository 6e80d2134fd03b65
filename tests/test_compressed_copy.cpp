// SPDX-License-Identifier: Apache-2.0
#define BOOST_TEST_MODULE compressed_copy
// A rotated file compressed before it was read to its end: which saved file it is, and how
// long it was, from gzip's trailer, xz's index, or zstd inflated to its end. The files are
// written as logrotate's compress and compresscmd write them: from a pipe, so that zstd records
// no length.
#include "tail/compressed_copy.h"

#include "process.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <string>
#include <vector>

using hitwatch::FileIdentity;
using hitwatch::inspect_compressed;

namespace {

void write(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }

// A log of `lines` lines, as `prefix` makes them different from another's.
std::string log_text(const std::string& prefix, int lines) {
    std::string text;
    for (int i = 0; i < lines; ++i) {
        text += prefix + " 10.0.0." + std::to_string(i % 250) + " - - [07/Dec/2026:06:00:00 +0000] \"GET /api/" +
                std::to_string(i) + " HTTP/1.1\" 200 512\n";
    }
    return text;
}

FileIdentity identity_of(const std::string& text) {
    FileIdentity id;
    id.head_length = static_cast<std::uint32_t>(std::min<std::size_t>(text.size(), FileIdentity::kHeadBytes));
    id.head_hash = hitwatch::hash_head(text.data(), id.head_length);
    return id;
}

std::string gzip(const std::string& text) {
    z_stream z{};
    BOOST_TEST_REQUIRE(::deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(::deflateBound(&z, text.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    BOOST_TEST_REQUIRE(::deflate(&z, Z_FINISH) == Z_STREAM_END);
    out.resize(z.total_out);
    ::deflateEnd(&z);
    return out;
}

std::string xz(const std::string& text) {
    std::string out(text.size() + text.size() / 2 + 1024, '\0');
    std::size_t at = 0;
    BOOST_TEST_REQUIRE(::lzma_easy_buffer_encode(6, LZMA_CHECK_CRC64, nullptr,
                                                 reinterpret_cast<const std::uint8_t*>(text.data()), text.size(),
                                                 reinterpret_cast<std::uint8_t*>(out.data()), &at, out.size()) == LZMA_OK);
    out.resize(at);
    return out;
}

// As `zstd < file > file.zst` writes it: the length not known up front, so not in the frame.
std::string zstd_streamed(const std::string& text) {
    ZSTD_CCtx* c = ::ZSTD_createCCtx();
    ::ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 0);  // as from a pipe
    std::string out(::ZSTD_compressBound(text.size()) + 1024, '\0');
    ZSTD_inBuffer in{text.data(), text.size(), 0};
    ZSTD_outBuffer to{out.data(), out.size(), 0};
    std::size_t left = 0;
    do {
        left = ::ZSTD_compressStream2(c, &to, &in, ZSTD_e_end);
        BOOST_TEST_REQUIRE(!::ZSTD_isError(left));
    } while (left != 0);
    ::ZSTD_freeCCtx(c);
    out.resize(to.pos);
    BOOST_TEST_REQUIRE(::ZSTD_getFrameContentSize(out.data(), out.size()) == ZSTD_CONTENTSIZE_UNKNOWN);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(each_kind_says_which_saved_file_it_is_and_how_long_it_was) {
    test::TempDir s;
    const std::string text = log_text("a", 3000), other = log_text("b", 10);
    const std::vector<FileIdentity> ids{identity_of(other), identity_of(text)};
    struct Case {
        const char* name;
        std::string bytes;
    };
    for (const Case& c : {Case{"access.log.1.gz", gzip(text)}, Case{"access.log.1.xz", xz(text)},
                          Case{"access.log.1.zst", zstd_streamed(text)}}) {
        BOOST_TEST_CONTEXT(c.name) {
            write(s.file(c.name), c.bytes);
            BOOST_TEST(hitwatch::named_as_compressed(s.file(c.name)));
            const auto copy = inspect_compressed(s.file(c.name), ids, hitwatch::kInflatedAtMost);
            BOOST_TEST_REQUIRE(copy.has_value());
            BOOST_TEST(copy->head_matches == std::vector<bool>({false, true}));
            BOOST_TEST_REQUIRE(copy->size.has_value());
            BOOST_TEST(*copy->size == text.size());
            // Not one of the saved files: not measured.
            const auto unrelated =
                inspect_compressed(s.file(c.name), {identity_of(other)}, hitwatch::kInflatedAtMost);
            BOOST_TEST_REQUIRE(unrelated.has_value());
            BOOST_TEST(!unrelated->size.has_value());
        }
    }
}

BOOST_AUTO_TEST_CASE(zstd_is_inflated_to_its_end_only_when_asked_and_up_to_a_limit) {
    // The live tail does not ask, on its loop, where a whole file is too long a read; a
    // restart asks for up to kInflatedAtMost.
    test::TempDir s;
    const std::string text = log_text("a", 500);
    write(s.file("access.log.1.zst"), zstd_streamed(text));
    const auto copy = inspect_compressed(s.file("access.log.1.zst"), {identity_of(text)}, 0);
    BOOST_TEST_REQUIRE(copy.has_value());
    BOOST_TEST(copy->kind == "zstd");
    BOOST_TEST(copy->head_matches == std::vector<bool>({true}));
    BOOST_TEST(!copy->size.has_value());
    const auto within = inspect_compressed(s.file("access.log.1.zst"), {identity_of(text)}, text.size());
    BOOST_TEST_REQUIRE(within.has_value());
    BOOST_TEST_REQUIRE(within->size.has_value());
    BOOST_TEST(*within->size == text.size());
    const auto past = inspect_compressed(s.file("access.log.1.zst"), {identity_of(text)}, text.size() - 1);
    BOOST_TEST_REQUIRE(past.has_value());
    BOOST_TEST(past->head_matches == std::vector<bool>({true}));
    BOOST_TEST(!past->size.has_value());
}

BOOST_AUTO_TEST_CASE(xz_streams_one_after_another_and_their_padding_add_up) {
    // `cat a.xz b.xz`, with the NULs xz allows between and after streams.
    test::TempDir s;
    const std::string first = log_text("a", 2000), second = log_text("c", 700);
    write(s.file("access.log.1.xz"), xz(first) + std::string(8, '\0') + xz(second) + std::string(4, '\0'));
    const auto copy = inspect_compressed(s.file("access.log.1.xz"), {identity_of(first)}, 0);
    BOOST_TEST_REQUIRE(copy.has_value());
    BOOST_TEST_REQUIRE(copy->size.has_value());
    BOOST_TEST(*copy->size == first.size() + second.size());
}

BOOST_AUTO_TEST_CASE(a_copy_cut_short_or_damaged_has_no_length_and_other_files_are_no_copy) {
    test::TempDir s;
    const std::string text = log_text("a", 3000);
    const std::string whole = xz(text);
    write(s.file("cut.xz"), whole.substr(0, whole.size() - 30));  // compresscmd still writing
    const auto cut = inspect_compressed(s.file("cut.xz"), {identity_of(text)}, hitwatch::kInflatedAtMost);
    BOOST_TEST_REQUIRE(cut.has_value());
    BOOST_TEST(cut->head_matches == std::vector<bool>({true}));
    BOOST_TEST(!cut->size.has_value());
    // A file that is not gzip, xz or zstd, whatever its name; bzip2 is not looked at.
    write(s.file("plain.gz"), text);
    BOOST_TEST(!inspect_compressed(s.file("plain.gz"), {identity_of(text)}, hitwatch::kInflatedAtMost).has_value());
    write(s.file("access.log.1.bz2"), "BZh91AY&SY");
    BOOST_TEST(
        !inspect_compressed(s.file("access.log.1.bz2"), {identity_of(text)}, hitwatch::kInflatedAtMost).has_value());
    BOOST_TEST(!hitwatch::named_as_compressed(s.file("access.log.1.bz2")));
    BOOST_TEST(!inspect_compressed(s.file("missing.gz"), {identity_of(text)}, hitwatch::kInflatedAtMost).has_value());
}
