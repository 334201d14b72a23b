// A typedoc plugin (typedoc.json "plugin"): a function's page (a function declaration, or a const arrow function) prints its parameter and return types as the source
// writes them, not as the type checker expands them. Typedoc converts a signature's types from the checker's types,
// which drops the name of an alias that is itself an alias (`PathsAgree<A, B, 'shortcut'>` printed as
// `ShapesAgree<A, B, PathsTable<…>>`), evaluates conditional aliases over tuples (`SumDims<[R1[1], R2[1]]>` printed
// as `R1[1] extends number ? … Add<Add<0, any[any]>, any[any]> …`, which is not even the type), and widens a mapped
// type's `keyof Cs` to `string | number | symbol`. Where the declaration writes a type, the page now shows that text,
// each name linked to its own page; where it writes none (an inferred return type), typedoc's conversion stays.
// Nothing about the types changes: this is only which spelling of the same type the page prints.
import ts from 'typescript'
import { Converter, ReflectionType } from 'typedoc'

/** Removes the reflections a replaced type created (a function or object type literal is a reflection of its own). */
function dropType(project, type) {
  if (type instanceof ReflectionType) project.removeReflection(type.declaration)
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_CREATE_SIGNATURE, (context, signature, declaration) => {
    if (declaration === undefined) return
    if (!ts.isFunctionDeclaration(declaration) && !ts.isArrowFunction(declaration) && !ts.isFunctionExpression(declaration)) return
    const sigContext = context.withScope(signature)
    for (const param of signature.parameters ?? []) {
      const node = declaration.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === param.name)
      if (node?.type === undefined) continue
      dropType(context.project, param.type)
      param.type = context.converter.convertType(sigContext.withScope(param), node.type)
    }
    if (declaration.type !== undefined && !ts.isTypePredicateNode(declaration.type)) {
      dropType(context.project, signature.type)
      signature.type = context.converter.convertType(sigContext, declaration.type)
    }
  })
}
