package cli

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

// enableANSI turns on virtual terminal processing for the console f writes
// to, so escape sequences show as colours (Windows 10 and later; an older
// console would print them as text), and reports whether it is on.
func enableANSI(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	if mode&windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING != 0 {
		return true
	}
	return windows.SetConsoleMode(h, mode|windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING) == nil
}

// ownConsoleWindow reports whether this process is the only one attached to
// its console: Windows made the console for it (double-clicked in Explorer)
// rather than a terminal it was started from.
func ownConsoleWindow() bool {
	list := make([]uint32, 4)
	n, _, _ := windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleProcessList").Call(uintptr(unsafe.Pointer(&list[0])), uintptr(len(list)))
	return n == 1
}
