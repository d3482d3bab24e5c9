# Capsule: thin front end over the CMake build in build/.
#   make run      build everything and boot the system in QEMU (COM1 on the terminal,
#                 COM2 - the debug console - on the unix socket build/com2.sock)
#   make dbg-console  attach this terminal to the debug console of a running make run
#   make test     build and run every test under ctest
#   make fuzz     run each host fuzz target for FUZZ_SECONDS (default 60) in turn
#   make bench    boot the benchmark images and the system; results in build/bench.json
#   make bench-idle  only procbench's idle-container series (creation time of the
#                 1st, 100th and 1,000th kept alive); results in build/bench-idle.json
#   make bench-linux  the same bench program on Debian's Linux kernel in the same QEMU,
#                 side by side with Capsule; results in build/bench-linux.json
#   make debug    boot with QEMU's gdbstub waiting; prints the gdb command
#   make image    build build/capsule.img
# ACCEL=kvm opts into KVM; the default is software emulation (TCG).

BUILD ?= build
ACCEL ?= tcg
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60
QEMU_BASE = qemu-system-x86_64 -m 512M -serial stdio -display none -accel $(ACCEL)

COM2_SOCKET = $(BUILD)/com2.sock

.PHONY: all deps configure build image run dbg-console debug test fuzz bench bench-idle bench-linux \
	format clean

all: build

deps:
	@tools/ensure-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE= > $(BUILD).configure.log 2>&1 || \
		{ cat $(BUILD).configure.log; exit 1; }
	@rm -f $(BUILD).configure.log

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

image: build

run: build
	@echo "debug console (dbg> on COM2): run 'make dbg-console' in another terminal"
	$(QEMU_BASE) -serial unix:$(COM2_SOCKET),server=on,wait=off \
		-drive file=$(BUILD)/capsule.img,format=raw

dbg-console:
	@python3 tools/attach-serial.py $(COM2_SOCKET)

debug: build
	@echo "attach with:  gdb $(BUILD)/kernel.elf -ex 'target remote localhost:1234'"
	$(QEMU_BASE) -drive file=$(BUILD)/capsule.img,format=raw -s -S

test: build
	cd $(BUILD) && ctest --output-on-failure

fuzz: build
	@tools/run-fuzz.sh $(BUILD) $(FUZZ_SECONDS)

bench: build
	@python3 tools/run-bench.py $(BUILD)/bench.img $(BUILD)/bench.json $(ACCEL) $(BUILD)/procbench.img \
		$(BUILD)/capsule.img $(BUILD)/benchcmp.img

bench-idle: build
	@python3 tools/run-bench.py --procbench $(BUILD)/procbench_idle.img $(BUILD)/bench-idle.json \
		$(ACCEL)

# installs linux-image-amd64 and busybox-static if missing (as root; else says how)
bench-linux: build
	@python3 tools/bench-linux.py $(BUILD) $(ACCEL)

format:
	@tools/check-format.sh --fix

clean:
	rm -rf $(BUILD)
