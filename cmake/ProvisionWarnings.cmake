# Warning and sanitizer flags for our own targets only (third-party headers live in
# /usr/include and are treated as system headers, so their warnings stay muted).
add_library(provision_warnings INTERFACE)
target_compile_options(provision_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion -Werror
  # GCC 12 at -O2 misreports Asio's coroutine-frame allocator as mismatched new/delete
  # (a known false positive for C++20 coroutines with a class-specific operator new).
  -Wno-mismatched-new-delete)

add_library(provision_sanitizers INTERFACE)
if(PROVISION_SANITIZE)
  target_compile_options(provision_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  target_link_options(provision_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
