# Installs psp into a scratch prefix and builds tests/install/consumer against it.
file(REMOVE_RECURSE ${PSP_SCRATCH})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${PSP_BINARY_DIR} --prefix ${PSP_SCRATCH}/prefix
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "install failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${PSP_CONSUMER_SOURCE} -B ${PSP_SCRATCH}/build
                        -G ${PSP_GENERATOR} -DCMAKE_PREFIX_PATH=${PSP_SCRATCH}/prefix
                        "-DCMAKE_CXX_FLAGS=${PSP_CONSUMER_FLAGS}" "-DCMAKE_EXE_LINKER_FLAGS=${PSP_CONSUMER_FLAGS}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "configuring the consumer failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${PSP_SCRATCH}/build RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "building the consumer failed")
endif()
execute_process(COMMAND ${PSP_SCRATCH}/build/consumer RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "the consumer failed")
endif()
