# Warnings are errors: the farm's own code must build clean on g++ 12.
add_library(scxfarm_compile_options INTERFACE)
add_library(scxfarm::compile_options ALIAS scxfarm_compile_options)
target_compile_options(scxfarm_compile_options INTERFACE -Wall -Wextra -Werror -Wno-missing-field-initializers)

if(SCXFARM_SANITIZE)
  target_compile_options(scxfarm_compile_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(scxfarm_compile_options INTERFACE -fsanitize=address,undefined)
endif()
