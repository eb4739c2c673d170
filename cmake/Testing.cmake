# How tests are registered with ctest, so that a skipped test never reads as
# Passed. Every GoogleTest binary links scxfarm::gtest_main
# (harness/common/testing/gtest_main.cc), which exits
# SCXFARM_TEST_SKIPPED_EXIT when tests were skipped and none failed; every
# ctest entry of such a binary carries SKIP_RETURN_CODE with that value.
# (SKIP_REGULAR_EXPRESSION on "[  SKIPPED ]" would also mark an entry whose
# other tests FAILED as Skipped: ctest lets the expression win.)
set(SCXFARM_TEST_SKIPPED_EXIT 77)

# The tests of a GoogleTest binary, one ctest entry each, with LABEL and any
# further properties (TIMEOUT 120 ...).
function(scxfarm_discover_tests target label)
  gtest_discover_tests(${target} PROPERTIES LABELS ${label}
                       SKIP_RETURN_CODE ${SCXFARM_TEST_SKIPPED_EXIT} ${ARGN})
endfunction()

# One ctest entry NAME running a whole GoogleTest binary (the e2e tests share
# one expensive suite run per binary), with LABEL and further properties.
function(scxfarm_add_gtest_binary name target label)
  add_test(NAME ${name} COMMAND ${target})
  set_tests_properties(${name} PROPERTIES LABELS ${label}
                       SKIP_RETURN_CODE ${SCXFARM_TEST_SKIPPED_EXIT} ${ARGN})
endfunction()
