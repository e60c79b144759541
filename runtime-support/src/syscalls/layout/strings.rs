//! NULL-terminated arrays of string pointers (execve's `argv` and `envp`): in wasm an array of
//! u32 addresses, for the kernel an array of host `char *`. The strings are used in place.

use crate::guest;

/// A host `char *[]` converted from a wasm array, NULL-terminated.
pub(crate) struct StringArray {
    pointers: Vec<*const libc::c_char>,
}

impl StringArray {
    /// Converts the array at `addr`; `None` for a NULL array (which the kernel accepts as empty).
    /// Every entry up to the terminating 0 and every string must lie inside memory.
    pub(crate) fn from_guest(addr: u32) -> Result<Option<StringArray>, i64> {
        if addr == 0 {
            return Ok(None);
        }
        let mut pointers = Vec::new();
        let mut entry = addr;
        loop {
            let string: u32 = guest::read(entry)?;
            if string == 0 {
                break;
            }
            pointers.push(guest::translate_cstr(string)?);
            entry = entry.checked_add(4).ok_or(guest::EFAULT)?;
        }
        pointers.push(core::ptr::null());
        Ok(Some(StringArray { pointers }))
    }

    /// The host array of an optional conversion (NULL for none).
    pub(crate) fn as_ptr(array: &Option<StringArray>) -> *const *const libc::c_char {
        array
            .as_ref()
            .map_or(core::ptr::null(), |a| a.pointers.as_ptr())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::guest::testing::FakeMemory;

    #[test]
    fn converts_until_the_null_entry() {
        let memory = FakeMemory::new(4096);
        memory.put(1000, b"/bin/echo\0hi\0");
        for (i, value) in [1000u32, 1010, 0].iter().enumerate() {
            memory.put(100 + 4 * i as u32, &value.to_le_bytes());
        }
        let array = StringArray::from_guest(100).unwrap();
        let p = StringArray::as_ptr(&array);
        // SAFETY: three entries, the last NULL.
        unsafe {
            assert_eq!(std::ffi::CStr::from_ptr(*p).to_bytes(), b"/bin/echo");
            assert_eq!(std::ffi::CStr::from_ptr(*p.add(1)).to_bytes(), b"hi");
            assert!((*p.add(2)).is_null());
        }
        assert!(StringArray::as_ptr(&StringArray::from_guest(0).unwrap()).is_null());
    }

    #[test]
    fn rejects_entries_and_strings_outside_memory() {
        let memory = FakeMemory::new(4096);
        // The array runs off the end without a terminating 0.
        memory.put(4092, &1000u32.to_le_bytes());
        memory.put(1000, b"x\0");
        assert_eq!(StringArray::from_guest(4092).err(), Some(guest::EFAULT));
        // A string runs off the end.
        memory.put(100, &4095u32.to_le_bytes());
        memory.put(104, &0u32.to_le_bytes());
        memory.put(4095, b"y");
        assert_eq!(StringArray::from_guest(100).err(), Some(guest::EFAULT));
    }
}
