// memo() without preact/compat, whose options hook rewrites the props of every element the panel creates.
import { Component, type ComponentChild } from 'preact';

/** A component that renders `view` again only when `same(previous props, next props)` is false. */
export function memo<P extends object>(view: (props: P) => ComponentChild, same: (a: P, b: P) => boolean) {
  return class Memo extends Component<P> {
    override shouldComponentUpdate(next: P): boolean {
      return !same(this.props, next);
    }
    override render(props: P): ComponentChild {
      return view(props);
    }
  };
}
